package ai.vtc.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs 2,000 AdamW and 2,000 SOAP steps on about 330K parameters (four 256x256 and two 128x256 matrices with biases
 * and a norm weight) with fresh random gradients each step, and prints the process RSS and the number of live arrays
 * along the way: both must stay flat. Arguments: [steps] (default 2000). Run with a fixed, pre-touched Java heap
 * ({@code -Xms256m -Xmx256m -XX:+AlwaysPreTouch}) so that RSS changes are native memory, not heap growth.
 */
public final class OptimBenchmark {

    private OptimBenchmark() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        System.out.printf(
                "MALLOC_ARENA_MAX=%s MALLOC_TRIM_THRESHOLD_=%s LD_PRELOAD=%s%n",
                System.getenv("MALLOC_ARENA_MAX"),
                System.getenv("MALLOC_TRIM_THRESHOLD_"),
                System.getenv("LD_PRELOAD"));
        run("adamw", steps);
        run("soap", steps);
    }

    private static void run(String kind, int steps) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (int i = 0; i < 4; i++) {
                params.put(
                        "layers." + i + ".fc.weight",
                        manager.randomNormal(new Shape(256, 256)).muli(0.05f));
                params.put("layers." + i + ".fc.bias", manager.zeros(new Shape(256)));
            }
            params.put(
                    "head.0.weight", manager.randomNormal(new Shape(128, 256)).muli(0.05f));
            params.put(
                    "head.1.weight", manager.randomNormal(new Shape(128, 256)).muli(0.05f));
            params.put("final_layer_norm.weight", manager.ones(new Shape(256)));
            long count = params.values().stream().mapToLong(NDArray::size).sum();
            Optimizer optimizer = kind.equals("adamw")
                    ? new AdamW(manager, AdamWConfig.defaults())
                    : new Soap(manager, SoapConfig.defaults());
            Scheduler scheduler = new Scheduler(LearningRateSchedule.cosine(1e-3, 100, steps));
            System.out.printf("%s: %,d parameters, %d steps%n", kind, count, steps);
            long start = System.nanoTime();
            long last = start;
            int lastStep = 0;
            for (int step = 0; step < steps; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    Map<String, NDArray> grads = new LinkedHashMap<>();
                    params.forEach((name, p) -> grads.put(name, scope.randomNormal(p.getShape())));
                    Gradients.clipByGlobalNorm(grads, 1.0);
                    scheduler.apply(optimizer);
                    optimizer.step(params, grads);
                    scheduler.advance();
                }
                if (step == 0 || step == 99 || (step + 1) % 500 == 0) {
                    long now = System.nanoTime();
                    System.out.printf(
                            "  step %5d  rss %7.1f MB  live arrays %4d  %.2f ms/step%n",
                            step + 1,
                            rssMegabytes(),
                            manager.getManagedArrays().size(),
                            (now - last) / 1e6 / (step + 1 - lastStep));
                    last = now;
                    lastStep = step + 1;
                }
            }
            System.out.printf("  total %.1f s%n", (System.nanoTime() - start) / 1e9);
            optimizer.close();
        }
    }

    /** Resident set size of this process, from /proc/self/status. */
    static double rssMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
