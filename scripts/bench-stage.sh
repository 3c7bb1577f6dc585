#!/usr/bin/env bash
# Stage at scale: a flat folder of 2,000 files of 8 KB uploaded and downloaded by
# `s2tui stage cp -r` and by the official Python SDK's upload_folder / download_folder
# (pip package singlestoredb, in a venv as scripts/sdk-check.sh does), side by side in one run
# against one `s2tui sim` (goal: s2tui ≥ 5× faster both ways). Every copy is checked.
# Then the dashboard's upload of the same folder, fresh and after 10,000 transfers (goal:
# within 10 %), by `cargo bench --bench dashboard_upload`.
# Needs python3 and PyPI. Usage: scripts/bench-stage.sh   (FILES=N for another count)
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${FILES:-2000}
VENV=${SDK_VENV:-${TMPDIR:-/tmp}/s2tui-sdk-venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q singlestoredb
cargo build --quiet --release
BIN=$PWD/target/release/s2tui
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" sim --listen "127.0.0.1:$PORT" --api-key bench-stage --colleague-rate 0 >/dev/null 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
export SINGLESTOREDB_API_KEY=bench-stage SINGLESTOREDB_MANAGEMENT_BASE_URL=http://127.0.0.1:$PORT
export S2TUI_CONFIG_DIR=$WORK/config S2TUI_DATA_DIR=$WORK/data S2TUI_STATE_DIR=$WORK/state

mkdir -p "$WORK/flat"
python3 - "$WORK/flat" "$FILES" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    with open(os.path.join(root, f"f{i:05}.bin"), "wb") as f:
        f.write(os.urandom(8192))
PY

seconds() { python3 -c 'import sys; print(f"{float(sys.argv[2])-float(sys.argv[1]):.3f}")' "$1" "$EPOCHREALTIME"; }

# The destination folder is made first, untimed, as the SDK needs.
"$BIN" stage mkdir Production:s2tui-up
t=$EPOCHREALTIME; "$BIN" stage cp -r "$WORK/flat" Production:s2tui-up/; up_ours=$(seconds "$t")
t=$EPOCHREALTIME; "$BIN" stage cp -r Production:s2tui-up/flat "$WORK/down-s2tui"; down_ours=$(seconds "$t")
read -r _ up_sdk _ down_sdk < <("$VENV/bin/python" scripts/stage_vs_sdk.py \
    "http://127.0.0.1:$PORT" bench-stage Production "$WORK/flat" sdk-up "$WORK/down-sdk" | tr '\n' ' '; echo)

diff -r "$WORK/flat" "$WORK/down-s2tui" >/dev/null || { echo "s2tui's copy differs" >&2; exit 1; }
diff -r "$WORK/flat" "$WORK/down-sdk" >/dev/null || { echo "the SDK's copy differs" >&2; exit 1; }

echo "$FILES files of 8 KB, flat, against s2tui sim on 127.0.0.1 (same run)"
printf '%-10s %12s %12s %10s\n' "" "s2tui stage" "Python SDK" "speed-up"
for dir in upload download; do
    if [ $dir = upload ]; then a=$up_ours; b=$up_sdk; else a=$down_ours; b=$down_sdk; fi
    printf '%-10s %11ss %11ss %9s×\n' "$dir" "$a" "$b" "$(python3 -c "print(f'{$b/$a:.1f}')")"
done
echo
FILES=$FILES cargo bench --quiet --bench dashboard_upload
