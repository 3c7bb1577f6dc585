#!/usr/bin/env bash
# Measures two things against a local simulator with 1,000 workspaces:
#   (a) launch to the first frame that shows workspace rows, N runs (goal ≤ 150 ms);
#   (b) CPU used by the dashboard sitting idle for IDLE_SECS seconds (goal < 0.5 % of one core).
# The dashboard runs in a private tmux server, so it has a real terminal (120×32).
# Needs: cargo, tmux, Linux /proc. Usage: scripts/measure-startup-idle.sh  (RUNS=5 IDLE_SECS=60 API=v1)
# API=v2 opens the dashboard on clusters (the first frame with cluster rows counts).
set -euo pipefail

RUNS=${RUNS:-5}
IDLE_SECS=${IDLE_SECS:-60}
SEED=${SEED:-large:1000}
API=${API:-v1}
KEY="measure-$$"

cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tmux is required" >&2; exit 1; }
[ -r /proc/self/stat ] || { echo "Linux /proc is required" >&2; exit 1; }

cargo build --release --quiet
BIN=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/s2tui
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }

WORK=$(mktemp -d)
SOCK="s2tui-measure-$$"
SIM_PID=""
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
    if [ -n "$SIM_PID" ]; then kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# A free port: bind to 0 and let the kernel choose.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
S2TUI_SIM_API_KEY="$KEY" "$BIN" sim --listen "127.0.0.1:$PORT" --seed "$SEED" --colleague-rate 0 >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 100); do
    grep -q listening "$WORK/sim.log" 2>/dev/null && break
    sleep 0.1
done
grep -q listening "$WORK/sim.log" || { echo "the simulator did not start:" >&2; cat "$WORK/sim.log" >&2; exit 1; }

now_ms() { date +%s%3N; }

# Runs the dashboard in a fresh tmux window. The window records its own launch time right before
# exec'ing the binary, so tmux's start-up is not counted. S2TUI_TRACE_FIRST_DATA makes the
# dashboard write the time of its first frame with workspace rows.
launch() {
    local start_file=$1 trace_file=$2 pid_file=$3
    tmux -L "$SOCK" new-session -d -x 120 -y 32 -s "run" \
        "env SINGLESTOREDB_API_KEY=$KEY SINGLESTOREDB_MANAGEMENT_BASE_URL=http://127.0.0.1:$PORT SINGLESTOREDB_MANAGEMENT_VERSION=$API \
             S2TUI_TRACE_FIRST_DATA=$trace_file TERM=xterm-256color \
             sh -c 'echo \$\$ > $pid_file; date +%s%3N > $start_file; exec $BIN'"
}

wait_file() {
    for _ in $(seq 200); do
        [ -s "$1" ] && return 0
        sleep 0.05
    done
    echo "timed out waiting for $1" >&2
    return 1
}

# tmux's server is started once up front so that no run pays for it.
tmux -L "$SOCK" new-session -d -s keep "sleep 100000"

first=()
for i in $(seq "$RUNS"); do
    rm -f "$WORK/start" "$WORK/trace"
    launch "$WORK/start" "$WORK/trace" "$WORK/pid"
    wait_file "$WORK/trace"
    first+=($(( $(cat "$WORK/trace") - $(cat "$WORK/start") )))
    tmux -L "$SOCK" kill-session -t run
done

# (b) Idle: the dashboard open on the workspaces pane, nobody touching it.
rm -f "$WORK/start" "$WORK/trace"
launch "$WORK/start" "$WORK/trace" "$WORK/pid"
wait_file "$WORK/trace"
PID=$(cat "$WORK/pid")
[ "$(cat "/proc/$PID/comm")" = s2tui ] || { echo "pid $PID is not the dashboard" >&2; exit 1; }
sleep 2 # let the first burst of reads settle
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
t0=$(ticks "$PID"); w0=$(now_ms)
sleep "$IDLE_SECS"
t1=$(ticks "$PID"); w1=$(now_ms)
alive=yes; kill -0 "$PID" 2>/dev/null || alive=no
tmux -L "$SOCK" kill-session -t run

idle=$(awk -v t="$((t1 - t0))" -v hz="$HZ" -v ms="$((w1 - w0))" 'BEGIN { printf "%.3f", 100 * (t / hz) / (ms / 1000) }')
cpu_ms=$(( (t1 - t0) * 1000 / HZ ))

sorted=$(printf '%s\n' "${first[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END { print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2 }')
worst=$(echo "$sorted" | tail -1)
best=$(echo "$sorted" | head -1)

echo
echo "s2tui (API $API) against 's2tui sim --seed $SEED' (release build, 120x32 tmux pane)"
printf '%-40s %-28s %s\n' "measure" "result" "goal"
printf '%-40s %-28s %s\n' "launch -> first frame with data (ms)" "median $median, min $best, max $worst" "<= 150"
printf '%-40s %-28s %s\n' "  each run (ms)" "$(echo "${first[@]}")" ""
printf '%-40s %-28s %s\n' "idle CPU over ${IDLE_SECS}s (% of one core)" "$idle ($cpu_ms ms CPU)" "< 0.5"
[ "$alive" = yes ] || echo "warning: the dashboard was no longer running at the end of the idle window" >&2
