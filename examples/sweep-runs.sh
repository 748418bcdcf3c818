# Sourced by the example comparisons (race-vs-grid.sh, nine-vs-one.sh): each runs sweeps with ./sweep demo on a fresh
# stack in its own directory, keeping the pretrained model and data between runs. The caller sets VTC_STACK_DIR (the
# stack's directory), OUT (where each run's log and JSON go) and URL (the scheduler), and runs from the repository root.

# fresh_stack: stops the stack and removes everything in its directory but demo/ (the pretrained tiny model, made by
# the first run, and the pretraining set), so that no run reuses an earlier run's trials, predictions or features
fresh_stack() {
  ./sweep down >/dev/null 2>&1 || true
  find "$VTC_STACK_DIR" -mindepth 1 -maxdepth 1 ! -name demo -exec rm -rf {} +
}

# run_sweep LABEL FILE: one sweep on a fresh stack; writes $OUT/LABEL.{log,sweep.json,results.json} and sets RUN_ID,
# RUN_WALL (seconds from the sweep's submission to the demo's end, which waits for the last evaluation) and RUN_LOAD
# (the 1-minute load average at the start / at the end)
run_sweep() {
  local label=$1 file=$2 load_start end created
  fresh_stack
  load_start=$(cut -d' ' -f1 /proc/loadavg)
  echo "$(date -u +%H:%M:%S) $label: ./sweep demo --file $file (log: $OUT/$label.log)"
  if ! ./sweep demo --file "$file" >"$OUT/$label.log" 2>&1; then
    echo "$(basename "$0"): the $label run failed; the end of its log:" >&2
    tail -20 "$OUT/$label.log" >&2
    exit 1
  fi
  end=$(date +%s)
  RUN_ID=$(curl -fsS "$URL/sweeps" | jq -r '.[0].id')
  curl -fsS "$URL/sweeps/$RUN_ID" >"$OUT/$label.sweep.json"
  curl -fsS "$URL/sweeps/$RUN_ID/results" >"$OUT/$label.results.json"
  created=$(jq -r '.created_at' "$OUT/$label.sweep.json")
  RUN_WALL=$((end - $(date -d "$created" +%s)))
  RUN_LOAD="$load_start/$(cut -d' ' -f1 /proc/loadavg)"
}
