package ai.vtc.florence2.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.generate.GenerationSettings;
import ai.vtc.florence2.generate.Generator;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.nn.Trace;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Speed of a Florence-2-base-sized model (random weights, the real base architecture, 768 px, 16 prompt tokens, 8
 * decoder tokens) next to the machine's measured 1024x1024 float32 matmul throughput. Prints the vision tower (with
 * projection), the language encoder on 593 tokens, the full forward at batch 1 and 4, and generation of 8 tokens.
 * Arguments: [threads] [repetitions].
 */
public final class BaseModelBenchmark {

    /** FLOPs of one base forward at 768 px (2 x multiply-adds), as stated for the PyTorch reference. */
    static final double BASE_FORWARD_GFLOP = 437;

    private BaseModelBenchmark() {}

    public static void main(String[] args) {
        int threads = BenchSupport.intArg(args, 0, 2);
        int reps = BenchSupport.intArg(args, 1, 5);
        BenchSupport.configure(threads);
        System.out.printf("load average at start: %s; times are medians of %s%n", BenchSupport.loadAverage(), clock());
        double matmul = MatmulBenchmark.gflops(1024, 30);
        System.out.printf("1024x1024 fp32 matmul: %.1f GFLOP/s%n", matmul);

        long start = System.nanoTime();
        try (Florence2Model model = Florence2Model.random(Florence2Config.base(), 0)) {
            System.out.printf(
                    "base model: %,d parameters, random init %.1f s%n",
                    model.parameters().parameterCount(), (System.nanoTime() - start) / 1e9);
            for (int batch : new int[] {1, 4}) {
                run(model, batch, batch == 1 ? reps : Math.max(2, reps / 2));
            }
        }
    }

    private static void run(Florence2Model model, int batch, int reps) {
        Random random = new Random(batch);
        try (NDManager m = model.manager().newSubManager()) {
            NDArray pixels = m.randomNormal(new Shape(batch, 3, 768, 768));
            long[] ids = new long[batch * 16];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i % 16 == 0 ? 0 : i % 16 == 15 ? 2 : 4 + random.nextInt(50000);
            }
            NDArray inputIds = m.create(ids, new Shape(batch, 16));
            long[] dec = new long[batch * 8];
            Arrays.fill(dec, 2);
            NDArray decoderIds = m.create(dec, new Shape(batch, 8));
            ForwardOptions opts = ForwardOptions.REFERENCE;

            if (batch == 1) {
                double vision = median(reps, () -> model.encodeImage(pixels, Trace.NONE));
                NDArray embeds;
                try (NDScope s = new NDScope()) {
                    s.suppressNotUsedWarning();
                    NDArray features = model.encodeImage(pixels, Trace.NONE);
                    embeds = features.concat(model.embedText(inputIds), 1);
                    NDScope.unregister(embeds);
                }
                System.out.printf("vision tower + projection (batch 1): %.3f s%n", vision);
                double encoder = median(
                        reps * 2,
                        () -> model.encodeFeatures(embeds.get(":, :577"), inputIds, null, opts, Trace.NONE)
                                .hidden());
                System.out.printf(
                        "language encoder on %d tokens: %.3f s%n",
                        embeds.getShape().get(1), encoder);
                embeds.close();
            }
            double matmulBefore = MatmulBenchmark.gflops(1024, 15);
            double forward = median(reps, () -> model.forward(pixels, inputIds, null, decoderIds, opts, Trace.NONE));
            double matmulNow = (matmulBefore + MatmulBenchmark.gflops(1024, 15)) / 2;
            double gflops = BASE_FORWARD_GFLOP * batch / forward;
            System.out.printf(
                    "full forward batch %d: %.3f s (%.2f s per image), %.1f GFLOP/s = %.0f%% of the 1024x1024 matmul"
                            + " measured around it (%.1f GFLOP/s)%n",
                    batch, forward, forward / batch, gflops, 100 * gflops / matmulNow, matmulNow);
            if (batch == 1) {
                Generator generator = new Generator(model);
                GenerationSettings greedy8 = GenerationSettings.greedy(8);
                double generate = median(reps, () -> {
                    generator.generate(pixels, inputIds, null, greedy8);
                    return null;
                });
                System.out.printf(
                        "generate 8 tokens (greedy, batch 1, vision + encoder + 8 steps): %.3f s%n", generate);
                decoderStepTimes(model, pixels, inputIds, generator);
            }
            System.out.printf("load average: %s%n", BenchSupport.loadAverage());
        }
    }

    /** Decoder-only latency: 8 cached steps after the encoder. */
    private static void decoderStepTimes(Florence2Model model, NDArray pixels, NDArray ids, Generator generator) {
        try (NDManager call = model.manager().newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            EncoderOutput enc = model.encode(pixels, ids, null, ForwardOptions.REFERENCE, Trace.NONE);
            double[] perStep = new double[8];
            for (int rep = 0; rep < 3; rep++) {
                try (var cache = model.newCache(call)) {
                    for (int step = 0; step < 8; step++) {
                        long t = System.nanoTime();
                        try (NDScope s = new NDScope()) {
                            s.suppressNotUsedWarning();
                            NDArray token = call.create(new long[] {2}, new Shape(1, 1));
                            model.logits(model.decode(token, enc, cache)).toFloatArray();
                        }
                        perStep[step] = (System.nanoTime() - t) / 1e6;
                    }
                }
            }
            System.out.printf("decoder steps with cache (ms): %s%n", Arrays.toString(round(perStep)));
        }
    }

    private static double[] round(double[] v) {
        return Arrays.stream(v).map(x -> Math.round(x * 10) / 10.0).toArray();
    }

    /**
     * Median time in seconds of {@code reps} runs after one warm-up; each run's arrays are freed. With one libtorch
     * thread the work runs on the calling thread, and its CPU time is reported instead of wall time: on this shared
     * machine CPU time does not count the time other processes hold the core.
     */
    static double median(int reps, Supplier<Object> body) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        boolean cpu = JniUtils.getNumThreads() == 1;
        double[] times = new double[reps];
        for (int i = -1; i < reps; i++) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                long t = cpu ? bean.getCurrentThreadCpuTime() : System.nanoTime();
                Object out = body.get();
                if (out instanceof NDArray a) {
                    a.toFloatArray(); // wait for the result
                }
                long end = cpu ? bean.getCurrentThreadCpuTime() : System.nanoTime();
                if (i >= 0) {
                    times[i] = (end - t) / 1e9;
                }
            }
        }
        Arrays.sort(times);
        return times[reps / 2];
    }

    static String clock() {
        return JniUtils.getNumThreads() == 1 ? "thread CPU time" : "wall time";
    }
}
