# The reference's framework on this machine: PyTorch 1.13 eager with OpenBLAS (OpenMP), 2 threads, timing the matrix
# products that make up most of the DaViT-base vision tower (stage 2: 18 blocks x these shapes at 768 px) next to
# square matmuls. Compare with `florence2/bench.sh OpProfile 2` (the same shapes in libtorch 2.7.1 through DJL).
#   apt-get install python3-torch libopenblas0-openmp   # Debian's 1.13.1; without OpenBLAS it uses netlib BLAS
#   /usr/bin/python3 florence2/bench/reference-gemm.py
import time

import torch

torch.set_num_threads(2)


def gflops(a, b, reps=10):
    torch.mm(a, b)
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        torch.mm(a, b)
        times.append(time.perf_counter() - start)
    times.sort()
    return 2 * a.shape[0] * a.shape[1] * b.shape[1] / times[len(times) // 2] / 1e9


print("torch", torch.__version__, "threads", torch.get_num_threads())
for n in (1024, 2048):
    print("matmul %d: %.1f GFLOP/s" % (n, gflops(torch.randn(n, n), torch.randn(n, n))))
for m, k, n in ((2304, 512, 2048), (2304, 2048, 512), (2304, 512, 1536), (2304, 512, 512), (36864, 128, 512)):
    print("mm [%d,%d]x[%d,%d]: %.1f GFLOP/s" % (m, k, k, n, gflops(torch.randn(m, k), torch.randn(k, n))))
