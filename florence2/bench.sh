#!/usr/bin/env bash
# Runs a benchmark main class of ai.vtc.florence2.bench with the test classpath, offline DJL, the MKL vendor shim
# when a C compiler is installed (mkl-shim.sh), and jemalloc when installed (Debian libjemalloc2; NO_JEMALLOC=1 for
# glibc). jemalloc's default decay keeps freed pages for 10 s, so a forward pass reuses the previous pass's memory;
# MALLOC_CONF=dirty_decay_ms:-1 (never purge) made RSS grow without bound in the 1,000-call generate loop, so it is not
# the default here. JAVA_OPTS is passed to the JVM.
# The benchmarks of the model are this module's; those that train (LearningDemo, TrainStepProfile) are florence2-train's,
# whose bench.sh runs this script with BENCH_MODULE=florence2-train.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
module="${BENCH_MODULE:-florence2}"
here="$root/$module"
class="$1"; shift
cp_file="$here/target/bench.classpath"
if [[ ! -f "$cp_file" || "$here/pom.xml" -nt "$cp_file" ]]; then
  # -am builds the modules it needs from this checkout; each writes the file in turn, the benchmark's module last
  (cd "$root" && ./mvnw -q -B -pl "$module" -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test)
fi
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [[ -z "${NO_JEMALLOC:-}" && -f "$jemalloc" ]]; then
  export LD_PRELOAD="$jemalloc${LD_PRELOAD:+:$LD_PRELOAD}"
fi
# libtorch's MKL on non-Intel CPUs: the vendor shim lets it use the CPU's AVX-512/AVX2 kernels (mkl-shim.sh; MKL_SHIM=0
# measures without it)
shim="$("$root/florence2/mkl-shim.sh")"
if [[ -n "$shim" ]]; then
  export LD_PRELOAD="$shim${LD_PRELOAD:+:$LD_PRELOAD}"
fi
# libgomp's worker threads spin while waiting; when another process holds one of the two cores, a 2-thread training
# step of the tiny model took 15 s instead of 0.85 s (load 4.5). Passive waiting avoids that on a shared machine.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$root/target/djl-cache}"
exec java ${JAVA_OPTS:-} -Dai.djl.offline=true -cp "$here/target/classes:$here/target/test-classes:$(cat "$cp_file")" \
  "ai.vtc.florence2.bench.$class" "$@"
