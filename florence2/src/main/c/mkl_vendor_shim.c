/*
 * Lets libtorch's built-in oneMKL run its AVX-512 kernels on AMD processors.
 *
 * The CPU libtorch that DJL loads (2.7.1) links oneMKL 2024.0 statically and exports its internal
 * mkl_serv_intel_cpu_true(), which answers 0 unless CPUID's vendor string is "GenuineIntel". On any other vendor
 * MKL's sgemm then takes a generic path: on an AMD EPYC Zen 5 with AVX-512 it reached 92 GFLOP/s on a 1024 x 1024
 * float32 product on 2 threads (129 with this shim), where OpenBLAS (the reference's BLAS) reached 197. Preloading
 * this library makes the function answer 1; MKL then picks its kernels from the CPU's feature flags alone (the
 * check it already makes on Intel processors), so a CPU without AVX-512 gets AVX2 kernels and one with it AVX-512
 * kernels. On Intel processors it changes nothing. Same products, different kernels: results differ from the
 * unshimmed run only in the last bits, as they do between any two BLAS kernels.
 *
 * Written by hand because no maintained package provides it; the function's name is oneMKL's, exported by
 * libtorch_cpu.so (nm -D libtorch_cpu.so | grep mkl_serv_intel_cpu_true). Built by florence2/mkl-shim.sh and preloaded
 * by the benchmark scripts and the worker image (LD_PRELOAD); florence2/README.md ("Side by side with the reference")
 * has the measurements.
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
