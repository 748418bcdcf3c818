package ai.vtc.florence2.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** float32 matmul throughput of libtorch through DJL (the yardstick of the model benchmarks). Arguments: [threads]. */
public final class MatmulBenchmark {

    private MatmulBenchmark() {}

    public static void main(String[] args) {
        BenchSupport.configure(BenchSupport.intArg(args, 0, 2));
        for (int n : new int[] {512, 1024, 2048}) {
            System.out.printf(
                    "%dx%d fp32 matmul: %.1f GFLOP/s (%s)%n",
                    n, n, gflops(n, n >= 2048 ? 5 : 30), BaseModelBenchmark.clock());
        }
    }

    /** Median GFLOP/s of {@code reps} n x n by n x n products. */
    static double gflops(int n, int reps) {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            double s = BaseModelBenchmark.median(reps, () -> a.matMul(b));
            return 2.0 * n * n * n / s / 1e9;
        }
    }
}
