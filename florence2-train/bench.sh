#!/usr/bin/env bash
# Runs a benchmark main class of this module's tests (LearningDemo, TrainStepProfile) the way florence2/bench.sh runs
# the model's: test classpath, offline DJL, jemalloc when installed, OMP_WAIT_POLICY=PASSIVE unless set.
set -euo pipefail
BENCH_MODULE=florence2-train exec "$(dirname "$0")/../florence2/bench.sh" "$@"
