package ai.vtc.florence2.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.nn.Autocast;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Precision;
import ai.vtc.florence2.nn.Seq2SeqLoss;
import ai.vtc.florence2.nn.Trace;
import ai.vtc.optim.AdamW;
import ai.vtc.optim.AdamWConfig;
import ai.vtc.optim.Gradients;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The three measures of the PyTorch reference harness ({@code ../shared/reference/time_base.py}) on the project's
 * model, at Florence-2-base size with random weights: {@code forward_logits_b1}, {@code forward_logits_b4} (768 px,
 * 16 prompt tokens, 8 decoder tokens) and {@code train_step_adamw_b1} (forward with 8 labels, backward, AdamW over
 * every parameter). Each in every precision asked for; one warm-up, then the median of REPS. Prints one line {@code
 * <precision> <name> <seconds>} per measure, the format {@code florence2-train/bench-vs-reference.sh} reads.
 * Arguments: THREADS REPS [PRECISIONS, comma-separated, default fp32,bf16] [MEASURES, comma-separated, default all
 * three]. The training step also prints its phases (forward and loss, backward, optimizer); {@code
 * -Dbench.trace=PREFIX} runs each measure once more under libtorch's profiler and writes its Chrome trace to {@code
 * PREFIX-<precision>-<measure>.json} ({@code florence2/bench.sh OpProfile summary FILE} sums it by operator).
 */
public final class ReferenceSideBySide {

    private static final int PROMPT_TOKENS = 16;
    private static final int DECODER_TOKENS = 8;

    private ReferenceSideBySide() {}

    public static void main(String[] args) {
        int threads = BenchSupport.intArg(args, 0, 2);
        int reps = BenchSupport.intArg(args, 1, 3);
        List<Precision> precisions = Arrays.stream((args.length > 2 ? args[2] : "fp32,bf16").split(","))
                .map(Precision::parse)
                .toList();
        List<String> measures = List.of(
                (args.length > 3 ? args[3] : "forward_logits_b1,forward_logits_b4,train_step_adamw_b1").split(","));
        BenchSupport.configure(threads);
        try (Florence2Model model = Florence2Model.random(Florence2Config.base(), 0);
                NDManager m = model.manager().newSubManager()) {
            Inputs b1 = Inputs.random(m, 1);
            Inputs b4 = Inputs.random(m, 4);
            for (Precision precision : precisions) {
                try (Autocast ignored = Autocast.enter(precision)) {
                    if (measures.contains("forward_logits_b1")) {
                        report(
                                precision,
                                "forward_logits_b1",
                                median(precision.id() + "-forward_logits_b1", reps, () -> forward(model, b1)));
                    }
                    if (measures.contains("forward_logits_b4")) {
                        report(
                                precision,
                                "forward_logits_b4",
                                median(precision.id() + "-forward_logits_b4", reps, () -> forward(model, b4)));
                    }
                }
                if (measures.contains("train_step_adamw_b1")) {
                    report(precision, "train_step_adamw_b1", trainStep(model, b1, precision, reps));
                }
            }
        }
    }

    private static NDArray forward(Florence2Model model, Inputs in) {
        return model.forward(in.pixels, in.inputIds, null, in.decoderIds, ForwardOptions.REFERENCE, Trace.NONE);
    }

    /** forward (autocast) with labels + backward + AdamW (float32 state) over every parameter; median seconds. */
    private static double trainStep(Florence2Model model, Inputs in, Precision precision, int reps) {
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (Param p : model.parameters().params()) {
            if (!p.isBuffer()) {
                params.put(p.name(), p.array());
                p.array().setRequiresGradient(true);
            }
        }
        try (AdamW adamw = new AdamW(model.manager(), AdamWConfig.defaults().withLearningRate(1e-5))) {
            double[] times = new double[reps];
            long[] phases = new long[3]; // forward + loss, backward, optimizer (nanoseconds, over the timed runs)
            String trace = System.getProperty("bench.trace"); // one more step under libtorch's profiler, not timed
            for (int i = -1; i < reps + (trace == null ? 0 : 1); i++) {
                if (i == reps) {
                    JniUtils.startProfile(false, true, false);
                }
                long t = System.nanoTime();
                long forwardEnd;
                long backwardEnd;
                // as the Trainer: the pass's arrays in a scope closed before the optimizer step, whose state (created
                // on the first step) must outlive it
                try (NDScope scope = new NDScope();
                        GradientCollector collector =
                                Engine.getEngine("PyTorch").newGradientCollector()) {
                    scope.suppressNotUsedWarning();
                    NDArray loss;
                    try (Autocast ignored = Autocast.enter(precision)) {
                        NDArray logits = forward(model, in);
                        loss = Seq2SeqLoss.crossEntropy(logits, in.labels);
                        loss.getFloat(); // wait for the forward pass
                    }
                    forwardEnd = System.nanoTime();
                    collector.backward(loss);
                    backwardEnd = System.nanoTime();
                }
                try (NDManager g = model.manager().newSubManager()) {
                    adamw.step(params, Gradients.of(params, g));
                }
                Gradients.zero(params.values());
                long end = System.nanoTime();
                if (i == reps) {
                    JniUtils.stopProfile(trace + "-" + precision.id() + "-train_step_adamw_b1.json");
                } else if (i >= 0) {
                    times[i] = (end - t) / 1e9;
                    phases[0] += forwardEnd - t;
                    phases[1] += backwardEnd - forwardEnd;
                    phases[2] += end - backwardEnd;
                }
            }
            System.out.printf(
                    "%s train_step phases (means): forward + loss %.3f s, backward %.3f s, optimizer %.3f s%n",
                    precision.id(), phases[0] / 1e9 / reps, phases[1] / 1e9 / reps, phases[2] / 1e9 / reps);
            Arrays.sort(times);
            return times[reps / 2];
        } finally {
            params.values().forEach(p -> p.setRequiresGradient(false));
        }
    }

    private static void report(Precision precision, String name, double seconds) {
        System.out.printf("%s %s %.4f (load %s)%n", precision.id(), name, seconds, BenchSupport.loadAverage());
    }

    /**
     * Wall-clock median of {@code reps} runs after one warm-up, each run's arrays freed at its end; with {@code
     * -Dbench.trace=PREFIX} one more run under libtorch's profiler, written to {@code PREFIX-<name>.json}.
     */
    private static double median(String name, int reps, Supplier<Object> body) {
        String trace = System.getProperty("bench.trace");
        double[] times = new double[reps];
        for (int i = -1; i < reps + (trace == null ? 0 : 1); i++) {
            if (i == reps) {
                JniUtils.startProfile(false, true, false);
            }
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                long t = System.nanoTime();
                if (body.get() instanceof NDArray a) {
                    a.toFloatArray(); // wait for the result
                }
                if (i == reps) {
                    JniUtils.stopProfile(trace + "-" + name + ".json");
                } else if (i >= 0) {
                    times[i] = (System.nanoTime() - t) / 1e9;
                }
            }
        }
        Arrays.sort(times);
        return times[reps / 2];
    }

    /** pixels [B, 3, 768, 768], prompt ids [B, 16], decoder ids and labels [B, 8], as the reference makes them. */
    private record Inputs(NDArray pixels, NDArray inputIds, NDArray decoderIds, NDArray labels) {
        static Inputs random(NDManager m, int batch) {
            Random random = new Random(batch);
            long[] ids = new long[batch * PROMPT_TOKENS];
            for (int i = 0; i < ids.length; i++) {
                int pos = i % PROMPT_TOKENS;
                ids[i] = pos == 0 ? 0 : pos == PROMPT_TOKENS - 1 ? 2 : 4 + random.nextInt(50000);
            }
            long[] dec = new long[batch * DECODER_TOKENS];
            long[] labels = new long[batch * DECODER_TOKENS];
            for (int i = 0; i < dec.length; i++) {
                dec[i] = i % DECODER_TOKENS == 0 ? 2 : 3 + random.nextInt(50000);
                labels[i] = i % DECODER_TOKENS == DECODER_TOKENS - 1 ? 2 : 3 + random.nextInt(50000);
            }
            return new Inputs(
                    m.randomNormal(new Shape(batch, 3, 768, 768)),
                    m.create(ids, new Shape(batch, PROMPT_TOKENS)),
                    m.create(dec, new Shape(batch, DECODER_TOKENS)),
                    m.create(labels, new Shape(batch, DECODER_TOKENS)));
        }
    }
}
