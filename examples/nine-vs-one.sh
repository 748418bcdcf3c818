#!/usr/bin/env bash
# What sharing vision features saves (issue 19): a training-free sweep of nine settings on one model
# (examples/features-nine-sweep.yaml) against a single such trial (examples/features-one-sweep.yaml), on the embedded
# stack with its two workers, each sweep on a fresh stack with the same pretrained tiny model and data; the nine again
# with sharing off (WORKER_VISION_FEATURES=false) to show what the sharing itself does. Prints the wall times (the
# sweep's submission to its last evaluation), their ratio to the single trial (goal: nine <= 2x), and the workers'
# feature counters (images computed / taken from storage).
#   examples/nine-vs-one.sh
# Runs the stack of ./sweep on its own directory (VTC_STACK_DIR, default .stack-nine-vs-one) on the same ports, so stop
# a running stack first (./sweep down); the first run pretrains the tiny model there (kept in demo/). Logs and JSON in
# target/nine-vs-one/; the stack is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export VTC_STACK_DIR=${VTC_STACK_DIR:-$ROOT/.stack-nine-vs-one}
URL=${SWEEP_URL:-http://127.0.0.1:18081}
OUT=$ROOT/target/nine-vs-one
mkdir -p "$OUT" "$VTC_STACK_DIR"
command -v jq >/dev/null || { echo "nine-vs-one: needs jq" >&2; exit 1; }
trap './sweep down >/dev/null 2>&1 || true' EXIT
. examples/sweep-runs.sh

# features: the two workers' vision-feature counters now, "computed C, stored S"
features() {
  local source total
  for source in computed stored; do
    total=0
    for port in 18082 18085; do
      n=$(curl -fsS "http://127.0.0.1:$port/q/metrics" 2>/dev/null \
        | sed -n "s/^worker_vision_features_total{.*source=\"$source\".*} \([0-9.]*\)$/\1/p" | paste -sd+ | bc)
      total=$(echo "$total + ${n:-0}" | bc)
    done
    printf '%s %s' "$source" "${total%.*}"
    [ "$source" = stored ] || printf ', '
  done
}

# run LABEL FILE: run_sweep, then one row: label, sweep, trials, wall, load, features
run() {
  local label=$1 trials
  run_sweep "$@"
  trials=$(jq '[.results[]] | length' "$OUT/$label.results.json")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$RUN_ID" "$trials" "$RUN_WALL" "$RUN_LOAD" "$(features)" >"$OUT/$label.row"
}

run one examples/features-one-sweep.yaml
run nine examples/features-nine-sweep.yaml
WORKER_VISION_FEATURES=false run nine-unshared examples/features-nine-sweep.yaml
./sweep down >/dev/null 2>&1 || true

echo
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
one_wall=$(cut -f4 "$OUT/one.row")
printf '%-14s %-18s %6s %7s %6s %12s  %s\n' run sweep trials wall_s ratio load "vision features (images)"
for label in one nine nine-unshared; do
  IFS=$'\t' read -r l id t w load f <"$OUT/$label.row"
  printf '%-14s %-18s %6s %7s %6s %12s  %s\n' "$l" "$id" "$t" "$w" "$(echo "scale=2; $w / $one_wall" | bc)" "$load" "$f"
done
