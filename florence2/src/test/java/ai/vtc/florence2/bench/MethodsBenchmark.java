package ai.vtc.florence2.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2Flops;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.CompressionHooks;
import ai.vtc.florence2.compress.CompressionMode;
import ai.vtc.florence2.nn.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Every compression method at one budget on a Florence-2-base-sized model (random weights, 768 px, 576 grid tokens,
 * batch 1, a VQA-length prompt of 16 tokens): 64 grid tokens kept (avg_pool and learnable_pool factor 9, pool2d kernel
 * 3, attn_prune, divprune, dominant_merge and random keep 64, all before encoder layer 2; downsample to 256 px), plus a
 * stage-0 row for each method that can run there, next to none. For each: the language-encoder time (from the image
 * features) and the full prefill time (vision tower, projection and encoder from the pixels), medians of a few rounds,
 * beside the analytic GFLOPs of {@link Florence2Flops}, which leave out the compression's own scores, sorting and
 * merging. The last column makes that overhead visible: the encoder time less avg_pool's at the same stage, which runs
 * the same token counts through the same layers.
 *
 * <pre>florence2/bench.sh MethodsBenchmark [threads=2] [encoder rounds=7] [prefill rounds=3]</pre>
 */
public final class MethodsBenchmark {

    static final int IMAGE = 768;
    static final int DOWNSAMPLED = 256;
    static final int PROMPT_TOKENS = 16;
    static final int BUDGET = 64;

    private MethodsBenchmark() {}

    public static void main(String[] args) {
        int threads = BenchSupport.intArg(args, 0, 2);
        int encoderReps = BenchSupport.intArg(args, 1, 7);
        int prefillReps = BenchSupport.intArg(args, 2, 3);
        BenchSupport.configure(threads);
        System.out.printf(
                "load average at start: %s; wall-time medians; encoder %d rounds, prefill %d rounds%n",
                BenchSupport.loadAverage(), encoderReps, prefillReps);
        List<Compression> settings = settings();
        try (Florence2Model model = Florence2Model.random(Florence2Config.base(), 0);
                NDManager m = model.manager().newSubManager()) {
            Random random = new Random(0);
            NDArray full = m.randomNormal(new Shape(1, 3, IMAGE, IMAGE)); // [1, 3, 768, 768]
            NDArray small = m.randomNormal(new Shape(1, 3, DOWNSAMPLED, DOWNSAMPLED)); // [1, 3, 256, 256]
            long[] ids = new long[PROMPT_TOKENS];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i == 0 ? 0 : i == ids.length - 1 ? 2 : 4 + random.nextInt(50000);
            }
            NDArray inputIds = m.create(ids, new Shape(1, PROMPT_TOKENS)); // [1, T]
            NDArray mask = m.ones(new Shape(1, PROMPT_TOKENS), DataType.INT64); // [1, T]
            NDArray fullFeatures = model.encodeImage(full, Trace.NONE); // [1, 577, D]
            NDArray smallFeatures = model.encodeImage(small, Trace.NONE); // [1, 65, D]
            List<ForwardOptions> options = new ArrayList<>();
            for (Compression c : settings) {
                options.add(ForwardOptions.REFERENCE
                        .withEncoderHook(CompressionHooks.forModel(model, c))
                        .withSampleKeys(new long[] {1}));
            }

            int[] visual = new int[settings.size()];
            for (int i = 0; i < settings.size(); i++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray features = downsampled(settings.get(i)) ? smallFeatures : fullFeatures;
                    long length = model.encodeFeatures(features, inputIds, mask, options.get(i), Trace.NONE)
                            .hidden()
                            .getShape()
                            .get(1);
                    visual[i] = Math.toIntExact(length - PROMPT_TOKENS);
                }
            }
            double[] encoder = CompressionBenchmark.roundRobin(settings, encoderReps, c -> {
                int i = settings.indexOf(c);
                NDArray features = downsampled(c) ? smallFeatures : fullFeatures;
                return () -> model.encodeFeatures(features, inputIds, mask, options.get(i), Trace.NONE)
                        .hidden();
            });
            System.out.printf("encoder timed; load average: %s%n", BenchSupport.loadAverage());
            // the encoder rounds warmed every path up: the slow prefill rounds need no warm-up of their own
            double[] prefill = CompressionBenchmark.roundRobin(settings, prefillReps, false, c -> {
                int i = settings.indexOf(c);
                NDArray pixels = downsampled(c) ? small : full;
                return () -> model.encode(pixels, inputIds, mask, options.get(i), Trace.NONE)
                        .hidden();
            });

            System.out.printf(
                    "%nFlorence-2-base (random weights), batch 1, %d prompt tokens, budget %d grid tokens of 576;"
                            + " GFLOPs analytic (Florence2Flops), times measured%n",
                    PROMPT_TOKENS, BUDGET);
            System.out.printf(
                    "| %-44s | %6s | %11s | %9s | %11s | %9s | %20s |%n",
                    "setting", "visual", "enc. GFLOPs", "encoder s", "pref. GFLOPs", "prefill s", "vs avg_pool, ms");
            System.out.println("|---|---|---|---|---|---|---|");
            for (int i = 0; i < settings.size(); i++) {
                Compression c = settings.get(i);
                int side = downsampled(c) ? DOWNSAMPLED : IMAGE;
                int stage = c.mode().hasStage() ? c.stage() : 0;
                Florence2Flops.Cost flops =
                        Florence2Flops.of(model.config(), side, PROMPT_TOKENS, stage, visual[i] - 1);
                int control = averagePoolingAt(settings, c);
                String overhead = control < 0 ? "-" : String.format("%+.1f", 1000 * (encoder[i] - encoder[control]));
                System.out.printf(
                        "| %-44s | %6d | %11.2f | %9.3f | %11.2f | %9.3f | %20s |%n",
                        c, visual[i], flops.encoder(), encoder[i], flops.prefill(), prefill[i], overhead);
            }
            System.out.printf("load average at the end: %s%n", BenchSupport.loadAverage());
        }
    }

    /** none; every method at the budget before layer 2 (downsample: its image size); the stage-0 rows. */
    static List<Compression> settings() {
        int factor = 576 / BUDGET;
        int kernel = (int) Math.round(Math.sqrt(factor));
        List<Compression> out = new ArrayList<>();
        out.add(Compression.none());
        for (int stage : new int[] {2, 0}) {
            out.add(Compression.avgPool(factor, stage, false));
            out.add(Compression.learnablePool(factor, stage, false));
            out.add(Compression.pool2d(kernel, stage));
            if (stage > 0) {
                out.add(Compression.attnPrune(BUDGET, stage));
            }
            out.add(Compression.divPrune(BUDGET, stage));
            if (stage > 0) {
                out.add(Compression.dominantMerge(BUDGET, stage));
            }
            out.add(Compression.random(BUDGET, stage, 0));
            if (stage > 0) {
                out.add(Compression.downsample(DOWNSAMPLED));
            }
        }
        return out;
    }

    private static boolean downsampled(Compression c) {
        return c.mode() == CompressionMode.DOWNSAMPLE;
    }

    /** The index of avg_pool at the stage of {@code c}, the control of the same token counts; -1 when none fits. */
    private static int averagePoolingAt(List<Compression> settings, Compression c) {
        if (!c.mode().hasStage()) {
            return -1;
        }
        for (int i = 0; i < settings.size(); i++) {
            Compression s = settings.get(i);
            if (s.mode() == CompressionMode.AVG_POOL && s.stage() == c.stage()) {
                return i;
            }
        }
        return -1;
    }
}
