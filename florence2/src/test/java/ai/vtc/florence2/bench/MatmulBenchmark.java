package ai.vtc.florence2.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/** float32 matmul throughput of libtorch through DJL (the yardstick of the model benchmarks). Arguments: [threads]. */
public final class MatmulBenchmark {

    private MatmulBenchmark() {}

    public static void main(String[] args) {
        BenchSupport.configure(BenchSupport.intArg(args, 0, 2));
        for (int n : new int[] {512, 1024, 2048}) {
            System.out.printf("%dx%d fp32 matmul: %.1f GFLOP/s%n", n, n, gflops(n, n >= 2048 ? 5 : 30));
        }
    }

    /** Median GFLOP/s of {@code reps} n x n by n x n products. */
    static double gflops(int n, int reps) {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            double[] rates = new double[reps];
            for (int i = -3; i < reps; i++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    long t = System.nanoTime();
                    a.matMul(b).getFloat(0, 0);
                    double s = (System.nanoTime() - t) / 1e9;
                    if (i >= 0) {
                        rates[i] = 2.0 * n * n * n / s / 1e9;
                    }
                }
            }
            Arrays.sort(rates);
            return rates[reps / 2];
        }
    }
}
