#!/usr/bin/env bash
# The demo sweep as a full grid (examples/demo-sweep.yaml) and as a Pareto race (examples/race-sweep.yaml), on the
# same pretrained tiny model and the same data, each on fresh trials, then one table: questions evaluated, wall time
# (the sweep's submission to the demo's end, which waits for the last evaluation), trials the race stopped and at
# which rung, and whether the two Pareto fronts (by visual tokens and by GFLOPs) hold the same settings.
#   examples/race-vs-grid.sh [PAIRS]    PAIRS (default 1) pairs run in turn: grid, race, grid, race, ...
#   examples/race-vs-grid.sh --report   the table of the runs kept in target/race-vs-grid/ again (complete pairs)
# It runs the stack of ./sweep on its own directory (VTC_STACK_DIR, default .stack-race-vs-grid) on the same ports,
# so stop a running stack first (./sweep down). Before each run everything there except demo/ (the pretrained model,
# made by the first run, and the pretraining set) is removed: a race after the grid would otherwise reuse the grid's
# evaluated trials (same trial ids) and only replay their stored predictions. Logs and the JSON of each run are kept
# in target/race-vs-grid/; the stack is stopped at the end. Wall times depend on what else runs on the machine: the
# table gives the 1-minute load average at the start and the end of each run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export VTC_STACK_DIR=${VTC_STACK_DIR:-$ROOT/.stack-race-vs-grid}
PAIRS=${1:-1}
REPORT=0
if [ "$PAIRS" = --report ]; then
  REPORT=1
  PAIRS=0
  while [ -f "target/race-vs-grid/race-$((PAIRS + 1)).row" ]; do PAIRS=$((PAIRS + 1)); done
  [ "$PAIRS" -gt 0 ] || { echo "race-vs-grid: no complete pair in target/race-vs-grid/ yet" >&2; exit 1; }
fi
URL=${SWEEP_URL:-http://127.0.0.1:18081}
OUT=$ROOT/target/race-vs-grid
mkdir -p "$OUT" "$VTC_STACK_DIR"
command -v jq >/dev/null || { echo "race-vs-grid: needs jq" >&2; exit 1; }
case "$PAIRS" in '' | *[!0-9]* | 0) echo "race-vs-grid: PAIRS must be a positive number, not '$PAIRS'" >&2; exit 1 ;; esac
[ "$REPORT" = 1 ] || trap './sweep down >/dev/null 2>&1 || true' EXIT

. examples/sweep-runs.sh

# run LABEL FILE: run_sweep, then the race's decisions and both fronts; writes $OUT/LABEL.{race.json,front-*.txt,row}
run() {
  local label=$1 questions stopped
  run_sweep "$@"
  curl -fsS "$URL/sweeps/$RUN_ID/race" >"$OUT/$label.race.json" 2>/dev/null || echo null >"$OUT/$label.race.json"
  ./sweep results "$RUN_ID" --pareto >"$OUT/$label.front-tokens.txt"
  ./sweep results "$RUN_ID" --pareto --cost gflops >"$OUT/$label.front-gflops.txt"
  questions=$(jq -r --slurpfile r "$OUT/$label.results.json" \
    'if . == null then ([$r[0].results[].questions // 0] | add) else .evaluated_questions end' "$OUT/$label.race.json")
  stopped=$(jq -r 'if . == null then "-" else
      ([.decisions[] | select(.outcome == "stopped") | "\(.setting) (\(.training)) at rung \(.rung)"]
       | if length == 0 then "none" else join("; ") end) end' "$OUT/$label.race.json")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$RUN_ID" "$questions" "$RUN_WALL" "$RUN_LOAD" "$stopped" >"$OUT/$label.row"
}

# front LABEL AXIS: the settings on the front of AXIS, one per line, sorted
front() {
  jq -r --arg axis "$2" '.results[] | select(.on_front[$axis] == true) | "\(.setting) (\(.training))"' \
    "$OUT/$1.results.json" | sort
}

if [ "$REPORT" = 0 ]; then
  for ((p = 1; p <= PAIRS; p++)); do
    run "grid-$p" examples/demo-sweep.yaml
    run "race-$p" examples/race-sweep.yaml
  done
  echo
  echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
printf '%-8s %-18s %10s %8s %12s  %s\n' run sweep questions wall_s load "stopped by the race"
for ((p = 1; p <= PAIRS; p++)); do
  for label in "grid-$p" "race-$p"; do
    IFS=$'\t' read -r l id q w load s <"$OUT/$label.row"
    printf '%-8s %-18s %10s %8s %12s  %s\n' "$l" "$id" "$q" "$w" "$load" "$s"
  done
done
for ((p = 1; p <= PAIRS; p++)); do
  for axis in tokens gflops; do
    if diff <(front "grid-$p" "$axis") <(front "race-$p" "$axis") >/dev/null; then
      echo "pair $p, front by $axis: the same $(front "grid-$p" "$axis" | wc -l) settings:"
      front "grid-$p" "$axis" | sed 's/^/  /'
    else
      echo "pair $p, front by $axis DIFFERS (< grid, > race):"
      diff <(front "grid-$p" "$axis") <(front "race-$p" "$axis") | grep '^[<>]' | sed 's/^/  /' || true
    fi
  done
done
