#!/usr/bin/env bash
# Stage transfer benchmark: a 1 GiB upload and download through the simulator, by s2tui's own
# transfer path and by curl against the same simulator in the same run (goal: s2tui ≥ 0.9×
# curl's throughput), plus the peak RSS growth of the transferring process (goal ≤ 64 MB).
# Needs: cargo, curl, Linux /proc; about 4 GiB free in $TMPDIR.
# Usage: scripts/bench-transfer.sh            (TRANSFER_MB=256 for a quicker run)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }
[ -r /proc/self/status ] || { echo "Linux /proc is required" >&2; exit 1; }
TRANSFER_MB=${TRANSFER_MB:-1024} cargo bench --quiet --bench transfer
