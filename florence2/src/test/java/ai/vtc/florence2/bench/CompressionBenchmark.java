package ai.vtc.florence2.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.Florence2TextConfig;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.VisualTokenCompressor;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Seq2SeqLoss;
import ai.vtc.florence2.nn.TestGradients;
import ai.vtc.florence2.nn.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What visual-token compression saves on a Florence-2-base-sized model (random weights, 768 px, 16 prompt and 8
 * decoder tokens, batch 1): the language-encoder time and the training step (forward + backward, every parameter
 * trainable, or with {@code language} the vision tower frozen) with no compression and avg_pool at factors 2, 4, 8
 * before encoder layer 0 and 3, next to the theoretical reduction of the encoder's FLOPs. Settings are timed in
 * rounds (each round runs every setting once), medians over the rounds.
 *
 * <pre>florence2/bench.sh CompressionBenchmark [threads=2] [encoder reps=7] [step reps=3, 0 skips] [all|language]</pre>
 *
 * On a machine that runs nothing else, prefix {@code OMP_WAIT_POLICY=ACTIVE}: with bench.sh's default {@code PASSIVE}
 * every multi-threaded operation first wakes a sleeping thread, which costs f=8 at stage 0 a few points of its
 * speed-up (florence2/README.md).
 */
public final class CompressionBenchmark {

    static final int PROMPT_TOKENS = 16;
    static final int DECODER_TOKENS = 8;

    private CompressionBenchmark() {}

    public static void main(String[] args) {
        int threads = BenchSupport.intArg(args, 0, 2);
        int encoderReps = BenchSupport.intArg(args, 1, 7);
        int stepReps = BenchSupport.intArg(args, 2, 3);
        boolean frozenVision = args.length > 3 && args[3].equals("language");
        BenchSupport.configure(threads);
        System.out.printf(
                "load average at start: %s; wall-time medians; encoder %d reps, step %d reps%n",
                BenchSupport.loadAverage(), encoderReps, stepReps);
        List<Compression> settings = new ArrayList<>();
        settings.add(Compression.none());
        for (int stage : new int[] {0, 3}) {
            for (int factor : new int[] {2, 4, 8}) {
                settings.add(Compression.avgPool(factor, stage, false));
            }
        }
        try (Florence2Model model = Florence2Model.random(Florence2Config.base(), 0);
                NDManager m = model.manager().newSubManager()) {
            Florence2TextConfig text = model.config().textConfig();
            Random random = new Random(0);
            NDArray pixels = m.randomNormal(new Shape(1, 3, 768, 768));
            long[] ids = new long[PROMPT_TOKENS];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i == 0 ? 0 : i == ids.length - 1 ? 2 : 4 + random.nextInt(50000);
            }
            NDArray inputIds = m.create(ids, new Shape(1, PROMPT_TOKENS));
            long[] dec = new long[DECODER_TOKENS];
            for (int i = 0; i < dec.length; i++) {
                dec[i] = i == 0 ? 2 : 4 + random.nextInt(50000);
            }
            NDArray decoderIds = m.create(dec, new Shape(1, DECODER_TOKENS));
            NDArray features = model.encodeImage(pixels, Trace.NONE); // [1, 577, D]
            int visual = Math.toIntExact(features.getShape().get(1));
            int layers = model.numEncoderLayers();

            System.out.printf(
                    "%nlanguage encoder (%d layers, d_model %d, ffn %d), %d visual + %d text tokens%n",
                    layers, text.dModel(), text.encoderFfnDim(), visual, PROMPT_TOKENS);
            System.out.printf(
                    "%-22s %8s %8s %9s %11s %10s%n",
                    "setting", "tokens", "time s", "speed-up", "theoretical", "of theory");
            double flopsNone = encoderFlops(text, layers, visual + PROMPT_TOKENS, visual + PROMPT_TOKENS, 0);
            int[] tokens = new int[settings.size()];
            for (int i = 0; i < settings.size(); i++) {
                tokens[i] = encodedTokens(model, features, inputIds, settings.get(i));
            }
            double[] encoder = roundRobin(settings, encoderReps, c -> {
                ForwardOptions options = compressed(model, c);
                return () -> model.encodeFeatures(features, inputIds, null, options, Trace.NONE)
                        .hidden();
            });
            for (int i = 0; i < settings.size(); i++) {
                Compression c = settings.get(i);
                int kept = tokens[i];
                double flops = encoderFlops(text, layers, visual + PROMPT_TOKENS, kept, c.isNone() ? 0 : c.stage());
                double measured = encoder[0] / encoder[i];
                double theory = flopsNone / flops;
                System.out.printf(
                        "%-22s %8d %8.3f %8.2fx %10.2fx %9.0f%%%n",
                        c, kept, encoder[i], measured, theory, 100 * measured / theory);
            }
            System.out.printf("load average: %s%n", BenchSupport.loadAverage());

            if (stepReps == 0) {
                return;
            }
            Map<String, NDArray> trainable = new LinkedHashMap<>();
            for (Param p : model.parameters().params()) {
                if (!p.isBuffer() && !(frozenVision && p.name().startsWith("vision_tower."))) {
                    trainable.put(p.name(), p.array());
                    p.array().setRequiresGradient(true);
                }
            }
            System.out.printf(
                    "%ntraining step (forward + backward, batch 1, %s trainable; reference 14.4 s, goal <= %.1f s)%n",
                    frozenVision ? "vision tower frozen, the rest" : "every parameter", 0.8 * 14.4);
            System.out.printf("%-22s %8s %9s %11s%n", "setting", "time s", "speed-up", "encoder th.");
            double[] step = roundRobin(settings, stepReps, c -> {
                ForwardOptions options = compressed(model, c);
                return () -> {
                    try (GradientCollector collector =
                            Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray logits = model.forward(pixels, inputIds, null, decoderIds, options, Trace.NONE);
                        NDArray loss = Seq2SeqLoss.crossEntropy(logits, decoderIds, 1);
                        collector.backward(loss);
                    }
                    TestGradients.zero(trainable.values());
                    return null;
                };
            });
            for (int i = 0; i < settings.size(); i++) {
                Compression c = settings.get(i);
                int kept = tokens[i];
                double theory = flopsNone
                        / encoderFlops(text, layers, visual + PROMPT_TOKENS, kept, c.isNone() ? 0 : c.stage());
                System.out.printf("%-22s %8.3f %8.2fx %10.2fx%n", c, step[i], step[0] / step[i], theory);
            }
            System.out.printf("load average: %s%n", BenchSupport.loadAverage());
        }
    }

    /** Reference forward options with {@code c} on {@code model}. */
    static ForwardOptions compressed(Florence2Model model, Compression c) {
        return ForwardOptions.REFERENCE.withEncoderHook(VisualTokenCompressor.forModel(model, c));
    }

    /** The length of the encoder's output under {@code c} (visual + text tokens), as the model pools it. */
    private static int encodedTokens(Florence2Model model, NDArray features, NDArray inputIds, Compression c) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray hidden = model.encodeFeatures(features, inputIds, null, compressed(model, c), Trace.NONE)
                    .hidden();
            return Math.toIntExact(hidden.getShape().get(1));
        }
    }

    /**
     * Multiply-adds x 2 of the encoder layers: {@code stage} layers on {@code before} tokens, the rest on {@code
     * after}. Per layer on L tokens: q, k, v, o projections 4 L D^2, scores and weighted sum 2 L^2 D, FFN 2 L D F.
     */
    static double encoderFlops(Florence2TextConfig text, int layers, int before, int after, int stage) {
        return stage * layerFlops(text, before) + (layers - stage) * layerFlops(text, after);
    }

    static double layerFlops(Florence2TextConfig text, long tokens) {
        double d = text.dModel();
        double f = text.encoderFfnDim();
        return 2 * (4 * tokens * d * d + 2.0 * tokens * tokens * d + 2 * tokens * d * f);
    }

    /**
     * Median wall time per setting of {@code reps} rounds, each round timing every setting once after one warm-up
     * round: on a shared machine a burst of load then slows all settings alike instead of one. Arrays are freed after
     * each run.
     */
    static double[] roundRobin(List<Compression> settings, int reps, Function<Compression, Supplier<Object>> bodies) {
        return roundRobin(settings, reps, true, bodies);
    }

    /** {@link #roundRobin(List, int, Function)}, with the warm-up round only when {@code warmUp}. */
    static double[] roundRobin(
            List<Compression> settings, int reps, boolean warmUp, Function<Compression, Supplier<Object>> bodies) {
        List<Supplier<Object>> runs = settings.stream().map(bodies).toList();
        double[][] times = new double[settings.size()][reps];
        for (int round = warmUp ? -1 : 0; round < reps; round++) {
            for (int i = 0; i < runs.size(); i++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    long t = System.nanoTime();
                    Object out = runs.get(i).get();
                    if (out instanceof NDArray a) {
                        a.toFloatArray(); // wait for the result
                    }
                    if (round >= 0) {
                        times[i][round] = (System.nanoTime() - t) / 1e9;
                    }
                }
            }
        }
        double[] medians = new double[settings.size()];
        for (int i = 0; i < medians.length; i++) {
            double[] t = times[i];
            Arrays.sort(t);
            medians[i] = reps % 2 == 1 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
        }
        return medians;
    }
}
