#!/usr/bin/env bash
# Side by side on this machine: Microsoft's Florence-2 code under PyTorch 1.13 (../shared/reference/run.sh, float32)
# and this project's model (ReferenceSideBySide), in turn, ROUNDS times each, at Florence-2-base size: full forward at
# batch 1 and batch 4 and a training step (batch 1, AdamW). Prints the CPU and its flags, every run's times, the
# medians and the ratios project / reference with the goals of issue 19 (fp32 <= 0.8x; bf16 forward <= 0.5x of the
# reference's float32).
#   florence2-train/bench-vs-reference.sh [THREADS=2] [ROUNDS=3] [REPS=1]
# Each round runs three processes: the reference; the project in fp32 and bf16 as the benchmarks run it (with the MKL
# vendor shim where a C compiler can build it, florence2/mkl-shim.sh); the project in fp32 without the shim
# (MKL_SHIM=0), so the shim's effect is measured by itself on the same machine.
# REPS: timed repetitions inside each run after its warm-up (each side takes the median of its own). Both sides get the
# reference's allocator setting (jemalloc, MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1) and the same
# OMP_WAIT_POLICY (default PASSIVE: on a shared machine spinning OpenMP threads cost both sides; ACTIVE on an idle
# one). REFERENCE_DIR overrides where the harness is (default: ../shared/reference beside the repository). Needs
# python3-torch, libopenblas0-openmp and libjemalloc2 (apt-get install), as the harness's README says.
set -euo pipefail
threads="${1:-2}"
rounds="${2:-3}"
reps="${3:-1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
reference="${REFERENCE_DIR:-$root/../shared/reference}"
[[ -x "$reference/run.sh" || -f "$reference/run.sh" ]] || {
  echo "bench-vs-reference: no reference harness at $reference (set REFERENCE_DIR)" >&2
  exit 2
}
out="${BENCH_OUT:-$root/florence2-train/target/bench-vs-reference}"
mkdir -p "$out"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1

cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
cpu_family="$(sed -n 's/^cpu family[[:space:]]*: //p' /proc/cpuinfo | head -1)"
cpu_number="$(sed -n 's/^model[[:space:]]*: //p' /proc/cpuinfo | head -1)"
flags="$(sed -n 's/^flags[[:space:]]*: //p' /proc/cpuinfo | head -1)"
wanted="avx2 fma avx512f avx512bw avx512vl avx512_bf16 avx512_fp16 avx512_vnni amx_tile amx_bf16 amx_int8"
present=""
for f in $wanted; do [[ " $flags " == *" $f "* ]] && present="$present $f"; done
echo "cpu: $cpu_model (family $cpu_family model $cpu_number), $(nproc) cores; flags:$present"
echo "threads $threads, rounds $rounds, reps per run $reps, OMP_WAIT_POLICY $OMP_WAIT_POLICY, MALLOC_CONF $MALLOC_CONF"
echo "logs: $out"

# compile once before timing anything (bench.sh writes the classpath file itself when it is missing)
(cd "$root" && ./mvnw -q -B -pl florence2-train -am test-compile) > "$out/compile.log" 2>&1 || {
  echo "bench-vs-reference: the project's benchmark does not compile; see $out/compile.log" >&2
  exit 1
}
for ((r = 1; r <= rounds; r++)); do
  echo "round $r: reference ($(cut -d' ' -f1-3 /proc/loadavg) load)"
  sh "$reference/run.sh" "$threads" "$reps" > "$out/reference-$r.log" 2>&1
  echo "round $r: project ($(cut -d' ' -f1-3 /proc/loadavg) load)"
  "$root/florence2-train/bench.sh" ReferenceSideBySide "$threads" "$reps" fp32,bf16 > "$out/project-$r.log" 2>&1
  echo "round $r: project without the MKL vendor shim ($(cut -d' ' -f1-3 /proc/loadavg) load)"
  MKL_SHIM=0 "$root/florence2-train/bench.sh" ReferenceSideBySide "$threads" "$reps" fp32 \
    > "$out/project-generic-mkl-$r.log" 2>&1
done
grep -h "^cpu:" "$out/project-1.log" "$out/project-generic-mkl-1.log" | sed 's/^/project /'

/usr/bin/python3 - "$out" "$rounds" <<'PY'
import statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
names = ["forward_logits_b1", "forward_logits_b4", "train_step_adamw_b1"]
ref, proj = {n: [] for n in names}, {(p, n): [] for p in ("fp32", "bf16", "generic") for n in names}
for r in range(1, rounds + 1):
    for line in open(f"{out}/reference-{r}.log"):
        parts = line.split()
        if len(parts) == 2 and parts[0] in ref:
            ref[parts[0]].append(float(parts[1]))
    for log, rename in ((f"{out}/project-{r}.log", None), (f"{out}/project-generic-mkl-{r}.log", "generic")):
        for line in open(log):
            parts = line.split()
            if len(parts) >= 3 and (parts[0], parts[1]) in proj:
                proj[(rename or parts[0], parts[1])].append(float(parts[2]))
def med(v):
    return statistics.median(v) if v else float("nan")
print()
print(f"{'measure':20} {'reference':>10} {'generic MKL':>12} {'ratio':>6} {'shim fp32':>10} {'ratio':>6} {'goal':>5}"
      f" {'bf16':>8} {'ratio':>6} {'goal':>5}")
for n in names:
    r, g, f, b = med(ref[n]), med(proj[("generic", n)]), med(proj[("fp32", n)]), med(proj[("bf16", n)])
    bf_goal = "0.5" if n.startswith("forward") else "-"
    print(f"{n:20} {r:9.3f}s {g:11.3f}s {g / r:6.2f} {f:9.3f}s {f / r:6.2f} {'0.8':>5} {b:7.3f}s {b / r:6.2f} {bf_goal:>5}")
print("(reference: float32; generic MKL: the project in float32 without the vendor shim; shim fp32 / bf16: with it)")
print()
print("every run (seconds):")
for n in names:
    print(f"  {n}: reference {ref[n]}, project fp32 generic MKL {proj[('generic', n)]}, fp32 shim {proj[('fp32', n)]},"
          f" bf16 shim {proj[('bf16', n)]}")
PY
