#!/usr/bin/env bash
# Soak test: the dashboard (release build) runs for SOAK_SECONDS with a 1 s refresh and the audit
# pane following, against a simulator with 1,000 workspaces and colleagues writing 5 audit entries
# a second. Its resident memory (VmRSS) is sampled every SOAK_INTERVAL seconds; the growth from the
# end of a SOAK_WARMUP-second warm-up to the end of the run must stay within SOAK_LIMIT_KB.
# The dashboard runs in a private tmux server, so it has a real terminal (120x32).
# Needs: cargo, tmux, python3, Linux /proc.
# Usage: scripts/soak.sh   (SOAK_SECONDS=600 SOAK_WARMUP=60 SOAK_INTERVAL=10 SOAK_LIMIT_KB=5120)
set -euo pipefail

SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_WARMUP=${SOAK_WARMUP:-60}
SOAK_INTERVAL=${SOAK_INTERVAL:-10}
SOAK_LIMIT_KB=${SOAK_LIMIT_KB:-5120}
SEED=${SEED:-large:1000}
COLLEAGUE_RATE=${COLLEAGUE_RATE:-5}
KEY="soak-$$"

cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tmux is required" >&2; exit 1; }
[ -r /proc/self/status ] || { echo "Linux /proc is required" >&2; exit 1; }
[ "$SOAK_SECONDS" -gt "$SOAK_WARMUP" ] || { echo "SOAK_SECONDS must exceed SOAK_WARMUP" >&2; exit 1; }

cargo build --release --quiet
BIN=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/s2tui
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }

WORK=$(mktemp -d)
SOCK="s2tui-soak-$$"
SIM_PID=""
cleanup() {
    local status=$?
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    if [ -n "$SIM_PID" ]; then kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
    # The simulator's own status (killed by TERM) must not become the script's.
    exit "$status"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
S2TUI_SIM_API_KEY="$KEY" "$BIN" sim --listen "127.0.0.1:$PORT" --seed "$SEED" --colleague-rate "$COLLEAGUE_RATE" \
    >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 100); do
    grep -q listening "$WORK/sim.log" 2>/dev/null && break
    sleep 0.1
done
grep -q listening "$WORK/sim.log" || { echo "the simulator did not start:" >&2; cat "$WORK/sim.log" >&2; exit 1; }

# Its own config, data and log directories: nothing of the developer's is read or written.
mkdir -p "$WORK/config" "$WORK/data" "$WORK/state"
tmux -L "$SOCK" new-session -d -x 120 -y 32 -s soak \
    "env SINGLESTOREDB_API_KEY=$KEY SINGLESTOREDB_MANAGEMENT_BASE_URL=http://127.0.0.1:$PORT TERM=xterm-256color \
         S2TUI_CONFIG_DIR=$WORK/config S2TUI_DATA_DIR=$WORK/data S2TUI_STATE_DIR=$WORK/state \
         S2TUI_TRACE_FIRST_DATA=$WORK/first \
         sh -c 'echo \$\$ > $WORK/pid; exec $BIN --refresh 1'"

wait_for() { # wait_for DESCRIPTION COMMAND...: polls for up to 20 s
    local what=$1; shift
    for _ in $(seq 200); do
        "$@" && return 0
        sleep 0.1
    done
    echo "timed out waiting for $what; screen:" >&2
    tmux -L "$SOCK" capture-pane -p -t soak >&2 || true
    exit 1
}
screen_has() { tmux -L "$SOCK" capture-pane -p -t soak | grep -q "$1"; }

wait_for "the dashboard's pid" test -s "$WORK/pid"
PID=$(cat "$WORK/pid")
wait_for "the first frame with workspaces" test -s "$WORK/first"
[ "$(cat "/proc/$PID/comm")" = s2tui ] || { echo "pid $PID is not the dashboard" >&2; exit 1; }

tmux -L "$SOCK" send-keys -t soak ':audit' Enter
wait_for "the audit pane" screen_has "Audit"

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$PID/status"; }
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
HZ=$(getconf CLK_TCK)

echo "s2tui --refresh 1, audit pane following, against 's2tui sim --seed $SEED --colleague-rate $COLLEAGUE_RATE'"
echo "sampling VmRSS every ${SOAK_INTERVAL}s for ${SOAK_SECONDS}s (warm-up ${SOAK_WARMUP}s)"
printf '%8s %10s\n' "t (s)" "RSS (kB)"
start=$(date +%s)
t0=$(ticks)
base=""
last=""
peak=0
elapsed=0
while :; do
    kill -0 "$PID" 2>/dev/null || { echo "the dashboard exited during the soak; screen:" >&2; tmux -L "$SOCK" capture-pane -p -t soak >&2 || true; exit 1; }
    last=$(rss_kb)
    elapsed=$(( $(date +%s) - start ))
    printf '%8d %10d\n' "$elapsed" "$last"
    [ "$last" -gt "$peak" ] && peak=$last
    if [ -z "$base" ] && [ "$elapsed" -ge "$SOAK_WARMUP" ]; then base=$last; fi
    [ "$elapsed" -ge "$SOAK_SECONDS" ] && break
    # Sleep to the next multiple of the interval, so samples do not drift.
    sleep $(( SOAK_INTERVAL - (elapsed % SOAK_INTERVAL) ))
done
cpu_ms=$(( ($(ticks) - t0) * 1000 / HZ ))

# The pane was still following and showing entries at the end.
screen=$(tmux -L "$SOCK" capture-pane -p -t soak)
echo "$screen" | grep -q "Audit" || { echo "the audit pane is no longer shown:" >&2; echo "$screen" >&2; exit 1; }

growth=$(( last - base ))
echo
printf '%-44s %s\n' "RSS at the end of the warm-up (kB)" "$base"
printf '%-44s %s\n' "RSS at the end (kB)" "$last"
printf '%-44s %s\n' "peak RSS (kB)" "$peak"
printf '%-44s %s\n' "growth after warm-up (kB, limit $SOAK_LIMIT_KB)" "$growth"
printf '%-44s %s\n' "average CPU over the run (% of one core)" \
    "$(awk -v ms="$cpu_ms" -v s="$elapsed" 'BEGIN { printf "%.2f", ms / 10 / s }')"
if [ "$growth" -gt "$SOAK_LIMIT_KB" ]; then
    echo "FAIL: RSS grew by $growth kB after the warm-up (limit $SOAK_LIMIT_KB kB)" >&2
    exit 1
fi
echo "PASS"
