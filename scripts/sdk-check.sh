#!/usr/bin/env bash
# Points the official Python SDK (pip package singlestoredb), unchanged, at `s2tui sim`. Its v1
# manager: regions, groups, a workspace through create/suspend/resume/terminate with the SDK's
# own waiters, Stage (mkdir, upload, listdir, download, rename, removedirs), get_secret(name), and
# jobs.run()'s creation reply then its run. Its Files spaces (manage_files) at v1 and at v2. Its
# v2 manager (manage_clusters): projects, regions, a cluster created with wait_on_active,
# updated, suspended and resumed, its Stage, a job with a cluster target, a starter cluster and
# its user, terminate. Needs python3 and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${SDK_VENV:-${TMPDIR:-/tmp}/s2tui-sdk-venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q "singlestoredb>=1.18.1"
cargo build --quiet --release
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
S2TUI_SIM_API_KEY=sdk-check ./target/release/s2tui sim --listen "127.0.0.1:$PORT" --speed 200 --colleague-rate 0 >/dev/null 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
# Top-level helpers such as get_secret(name) take the key, URL and API version from the
# environment; newer SDKs default to the v2 API, and those checks are of v1 (the v2 part asks its
# manager for v2 by name).
SINGLESTOREDB_MANAGEMENT_TOKEN=sdk-check SINGLESTOREDB_MANAGEMENT_BASE_URL="http://127.0.0.1:$PORT" \
    SINGLESTOREDB_MANAGEMENT_VERSION=v1 "$VENV/bin/python" scripts/sdk_check.py "http://127.0.0.1:$PORT" sdk-check
