#!/usr/bin/env bash
# Reproduces every performance figure of the README and prints them as one table:
#   render and filter ............ cargo bench --bench render
#   startup and idle CPU ......... scripts/measure-startup-idle.sh   (RUNS, IDLE_SECS pass through),
#                                  once at API v1 and once at API v2 (API=v2)
#   transfer ratio against curl .. scripts/bench-transfer.sh         (TRANSFER_MB passes through)
#   audit at 1M entries .......... cargo bench --bench audit
#   usage aggregation ............ cargo bench --bench usage_chart, cargo bench --bench usage
#   transfer queue at scale ...... cargo bench --bench transfers
#   Stage at scale vs the SDK .... scripts/bench-stage.sh           (FILES passes through; needs PyPI)
#   simulator workspace list ..... cargo bench --bench sim_workspaces   (seeds 1M workspaces: 1.6 GB)
#   v2 cluster list at 10k ....... cargo bench --bench clusters
# Criterion runs are kept short (1 s warm-up, 3 s measurement); each table row shows the middle
# estimate and criterion's [low high] interval. A missing script or bench prints "not available".
# Needs: cargo, python3; tmux and Linux /proc for startup/idle; curl for the transfer figure.
# Usage: scripts/figures.sh   (FIGURES_LOGS=DIR keeps every raw output in DIR;
#        FIGURES_SKIP="startup transfer audit usage_chart usage sim_workspaces render transfers stage" leaves those out)
#        FIGURES_SKIP="startup transfer audit usage_chart usage sim_workspaces clusters render" leaves those out)
set -uo pipefail

cd "$(dirname "$0")/.."
LOGS=${FIGURES_LOGS:-$(mktemp -d)}
mkdir -p "$LOGS"
[ -z "${FIGURES_LOGS:-}" ] && trap 'rm -rf "$LOGS"' EXIT
CRITERION_ARGS=(--warm-up-time 1 --measurement-time 3)

skipped() { [[ " ${FIGURES_SKIP:-} " == *" $1 "* ]] && echo "skipped" >"$LOGS/$2.status"; }

has_bench() { [ -f "benches/$1.rs" ] && grep -q "name = \"$1\"" Cargo.toml; }

# run NAME COMMAND...: its output goes to $LOGS/NAME.log; a failure is recorded, not fatal.
run() {
    local name=$1; shift
    echo "== $name: $*" >&2
    if "$@" >"$LOGS/$name.log" 2>"$LOGS/$name.err"; then
        echo ok >"$LOGS/$name.status"
    else
        echo "failed (exit $?), see the log" >"$LOGS/$name.status"
        tail -5 "$LOGS/$name.err" >&2
    fi
}

bench() {
    skipped "$1" "bench-$1" && return
    if has_bench "$1"; then
        run "bench-$1" cargo bench --quiet --bench "$1" -- "${CRITERION_ARGS[@]}"
    else
        echo "not available" >"$LOGS/bench-$1.status"
    fi
}

bench render
if skipped startup startup; then :
elif [ -x scripts/measure-startup-idle.sh ]; then
    run startup scripts/measure-startup-idle.sh
    run startup-v2 env API=v2 scripts/measure-startup-idle.sh
else
    echo "not available" >"$LOGS/startup.status"
fi
if skipped transfer transfer; then :
elif [ -x scripts/bench-transfer.sh ]; then
    run transfer scripts/bench-transfer.sh
else
    echo "not available" >"$LOGS/transfer.status"
fi
bench audit
bench usage_chart
bench usage
bench transfers
if skipped stage stage; then :
elif [ -x scripts/bench-stage.sh ]; then
    run stage scripts/bench-stage.sh
else
    echo "not available" >"$LOGS/stage.status"
fi
bench sim_workspaces
bench clusters

python3 - "$LOGS" <<'EOF'
import os, re, sys

logs = sys.argv[1]

def read(name):
    try:
        with open(os.path.join(logs, name)) as f:
            return f.read()
    except OSError:
        return ""

def status(step):
    return read(step + ".status").strip() or "not run"

def criterion(step):
    """{benchmark id: (low, mid, high)} from criterion's `time: [low mid high]` lines."""
    out, name = {}, None
    for line in (read(step + ".log") + "\n" + read(step + ".err")).splitlines():
        m = re.match(r"^(\S.*?)\s+time:\s+\[(.+?)\]", line)
        if m:
            name, times = m.group(1).strip(), m.group(2)
        else:
            m = re.match(r"^\s+time:\s+\[(.+?)\]", line)
            if not m:
                if line.strip() and not line.startswith((" ", "Benchmarking", "Found", "Gnuplot", "WARNING")):
                    name = line.strip()
                continue
            times = m.group(1)
        parts = times.split()
        if name and len(parts) == 6:
            out[name] = tuple(f"{parts[i]} {parts[i + 1]}" for i in (0, 2, 4))
    return out

rows = []  # (figure, result, detail, goal)

def bench_rows(step, wanted):
    results = criterion(step)
    st = status(step)
    for bench_id, label, goal in wanted:
        if bench_id in results:
            low, mid, high = results[bench_id]
            rows.append((label, mid, f"[{low} .. {high}]", goal))
        else:
            rows.append((label, st if st in ("not available", "skipped") else f"missing ({st})", "", goal))

bench_rows("bench-render", [
    ("render/workspaces_10k_200x60", "frame, 10k workspaces, 200x60", "<= 1 ms"),
    ("render/clusters_10k_200x60", "frame, 10k clusters (API v2), 200x60", "<= 1 ms"),
    ("render/workspaces_10k_200x60_scroll", "frame while scrolling, 10k workspaces", "<= 1 ms"),
    ("filter/first_keystroke_10k", "filter: first keystroke, 10k workspaces", "<= 2 ms"),
    ("filter/fifth_keystroke_10k", "filter: fifth keystroke, 10k workspaces", "<= 2 ms"),
])

startup = read("startup.log")
m = re.search(r"first frame with data \(ms\)\s+(median \S+, min \S+, max \S+)", startup)
rows.append(("launch -> first frame with data (ms)", m.group(1) if m else status("startup"), "1,000 workspaces", "<= 150"))
m = re.search(r"idle CPU over (\d+)s \(% of one core\)\s+(\S+) \((.+?)\)", startup)
rows.append(("idle CPU (% of one core)", m.group(2) if m else status("startup"), f"over {m.group(1)} s, {m.group(3)}" if m else "", "< 0.5"))
startup = read("startup-v2.log")
m = re.search(r"first frame with data \(ms\)\s+(median \S+, min \S+, max \S+)", startup)
rows.append(("API v2: launch -> first frame with data (ms)", m.group(1) if m else status("startup-v2"), "1,000 clusters", "<= 150"))
m = re.search(r"idle CPU over (\d+)s \(% of one core\)\s+(\S+) \((.+?)\)", startup)
rows.append(("API v2: idle CPU (% of one core)", m.group(2) if m else status("startup-v2"), f"over {m.group(1)} s, {m.group(3)}" if m else "", "< 0.5"))

transfer = read("transfer.log")
for direction in ("upload", "download"):
    m = re.search(direction + r":\s+s2tui\s+(\S+) MB/s\s+curl\s+(\S+) MB/s\s+ratio (\S+)", transfer)
    rows.append((f"{direction}: s2tui / curl throughput", m.group(3) if m else status("transfer"),
                 f"{m.group(1)} vs {m.group(2)} MB/s" if m else "", ">= 0.9"))
m = re.search(r"peak RSS growth while s2tui transferred: (\S+) MB", transfer)
rows.append(("transfer: peak RSS growth (MB)", m.group(1) if m else status("transfer"), "", "<= 64"))

audit = read("bench-audit.log") + read("bench-audit.err")
m = re.search(r"audit buffer: (\d+) entries; resident memory \+(\S+) MiB = (\S+) bytes/entry", audit)
rows.append(("audit: memory per entry (bytes)", m.group(3) if m else status("bench-audit"),
             f"{m.group(1)} entries, +{m.group(2)} MiB" if m else "", "<= 400"))
bench_rows("bench-audit", [
    ("audit_1m/keystroke_first_char", "audit 1M: search, first keystroke", "<= 30 ms"),
    ("audit_1m/keystroke_paste_word", "audit 1M: search, pasted word", "<= 30 ms"),
    ("audit_1m/keystroke_narrowing", "audit 1M: search, narrowing keystroke", "<= 30 ms"),
    ("audit_1m/keystroke_backspace", "audit 1M: search, backspace", "<= 30 ms"),
    ("audit_1m/frame_160x48", "audit 1M: frame 160x48", "<= 1 ms"),
    ("audit_1m/frame_160x48_search_context", "audit 1M: frame 160x48 with search", "<= 1 ms"),
])
bench_rows("bench-usage_chart", [
    ("usage/aggregate_876k_hourly_into_months", "usage: aggregate 876k hourly points", ""),
    ("usage/aggregate_and_frame_200x60", "usage: aggregate + frame 200x60", "<= 50 ms"),
])
bench_rows("bench-usage", [
    ("usage/year_hourly_100_workspaces", "usage: simulator, a year hourly x 100 ws", ""),
])
bench_rows("bench-sim_workspaces", [
    (f"sim_workspaces/list_one_group/{n}", f"simulator: one group's workspaces, {n:,} in all", "< 1 s")
    for n in (1000, 100000, 1000000)
])
bench_rows("bench-clusters", [
    ("clusters/decode_10k_v2_clusters", "v2: decode 10k clusters (lenient)", ""),
    ("clusters/decode_10k_v1_workspaces", "v1: decode 10k workspaces", ""),
    ("clusters/list_10k_v2_clusters_over_http", "v2: simulator lists 10k clusters, client decodes", ""),
])

bench_rows("bench-transfers", [
    ("transfers_frame/10k_running_200x60", "transfers: frame, 10k files running, 200x60", "<= 1 ms"),
    ("transfers_frame/10k_finished_plus_2k_running_200x60", "transfers: frame, 10k done + 2k running", "<= 1 ms"),
    ("transfers_event/100_files_progress_and_finish_fresh", "transfers: 100 files' events, fresh queue", ""),
    ("transfers_event/100_files_progress_and_finish_after_10k", "transfers: 100 files' events, after 10k", "within 10 %"),
])
stage = read("stage.log")
for direction in ("upload", "download"):
    m = re.search(r"^" + direction + r"\s+(\S+)s\s+(\S+)s\s+(\S+)×", stage, re.M)
    rows.append((f"2,000 x 8 KB {direction}: s2tui stage / SDK speed-up", m.group(3) if m else status("stage"),
                 f"{m.group(1)} s vs {m.group(2)} s" if m else "", ">= 5"))
m = re.search(r"after ÷ fresh: (\S+)", stage)
rows.append(("dashboard upload after 10k transfers / fresh", m.group(1) if m else status("stage"), "", "<= 1.10"))

widths = [max(len(r[i]) for r in rows + [("figure", "result", "detail", "goal")]) for i in range(4)]
line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
print()
print(line(("figure", "result", "detail", "goal")))
print(line(tuple("-" * w for w in widths)))
for r in rows:
    print(line(r))
EOF
