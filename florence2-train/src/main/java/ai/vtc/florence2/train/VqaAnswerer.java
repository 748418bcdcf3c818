package ai.vtc.florence2.train;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.vtc.contracts.TrialCost;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.CompressionHooks;
import ai.vtc.florence2.generate.GenerationListener;
import ai.vtc.florence2.generate.GenerationSettings;
import ai.vtc.florence2.nn.Autocast;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers VQA questions with a (trained) model under an inference compression setting: batched generation (beam search
 * or greedy, Florence-2's forced BOS/EOS and length penalty from the model config), compression inside the encoder so
 * the cached decoder cross-attends to the compressed sequence (downsample: the images at its size), each question's id
 * as its sample key (random keeps the same tokens for the same trial seed and question), answers decoded without
 * special tokens, products in the options' precision ({@link Autocast}). It measures what answering cost on the device it runs on ({@link TrialCost}, by {@link CostMeter}).
 */
public final class VqaAnswerer {

    /** Progress of {@link #answer}: questions answered so far, and whether to stop. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (done, total, perSecond) -> {};

        void progress(long done, long total, double questionsPerSecond);

        /** Asked before each batch; true ends {@link #answer} with the answers so far. */
        default boolean stopRequested() {
            return false;
        }
    }

    /**
     * What {@link #run} answered and what it cost.
     *
     * @param answers by question id, in the order of the examples
     * @param cost visual tokens kept, mean prompt tokens, analytic GFLOPs per sample and the measured prefill and
     *     decoder-step latencies; null when no batch ran
     */
    public record Result(Map<Long, String> answers, TrialCost cost) {}

    private VqaAnswerer() {}

    /**
     * Answers by question id, in the order of {@code examples}. When the listener asks to stop, returns before the
     * next batch with the answers so far (fewer than {@code examples}).
     */
    public static Map<Long, String> answer(
            Florence2Pipeline pipeline,
            List<Example> examples,
            EvalOptions options,
            Compression compression,
            Listener listener) {
        return run(pipeline, examples, options, compression, listener).answers();
    }

    /** Like {@link #answer}, with the cost of the answering. */
    public static Result run(
            Florence2Pipeline pipeline,
            List<Example> examples,
            EvalOptions options,
            Compression compression,
            Listener listener) {
        return run(pipeline, examples, options, compression, listener, null);
    }

    /**
     * Like {@link #run(Florence2Pipeline, List, EvalOptions, Compression, Listener)}, the vision features read from
     * {@code visionFeatures} where stored and computed and written there where not (null: from the pixels). Only for a
     * model whose vision tower is the one the store's features were made with ({@link VisionFeatures#shareable}).
     */
    public static Result run(
            Florence2Pipeline pipeline,
            List<Example> examples,
            EvalOptions options,
            Compression compression,
            Listener listener,
            VisionFeatureStore visionFeatures) {
        if (options.threads() > 0) {
            JniUtils.setNumThreads(options.threads());
        }
        Listener progress = listener == null ? Listener.NONE : listener;
        compression.validateFor(pipeline.model().config(), pipeline.imageProcessor());
        Florence2ImageProcessor processor = compression.imageProcessor(pipeline.imageProcessor());
        GenerationSettings settings = GenerationSettings.fromConfig(
                        pipeline.model().config(), options.maxNewTokens())
                .withNumBeams(options.numBeams())
                .withNoRepeatNgramSize(options.noRepeatNgramSize());
        ForwardOptions forward = ForwardOptions.REFERENCE
                .withPaddingMask(options.honourPaddingMask())
                .withEncoderHook(CompressionHooks.forModel(pipeline.model(), compression));
        VisionFeatures vision = visionFeatures == null
                ? null
                : new VisionFeatures(
                        visionFeatures, pipeline.model(), processor, new PixelCache(0), options.precision());
        BatchEncoder encoder = new BatchEncoder(
                pipeline.tokenizer(),
                processor,
                vision == null ? new PixelCache(0) : null,
                options.promptTemplate(),
                pipeline.model().config().textConfig());
        CostMeter meter = new CostMeter(options.batchSize());
        // with stored features, the vision tower is timed once, on the second full batch when there is one (the
        // first one warms the device up), and added to the prefill
        int timedBatch = examples.size() >= 2 * options.batchSize() ? 1 : 0;
        Map<Long, String> answers = new LinkedHashMap<>();
        long started = System.nanoTime();
        long lastReport = started;
        for (int from = 0; from < examples.size(); from += options.batchSize()) {
            if (progress.stopRequested()) {
                break;
            }
            List<Example> batch = examples.subList(from, Math.min(examples.size(), from + options.batchSize()));
            if (vision != null && from == timedBatch * options.batchSize()) {
                meter.visionTower(
                        vision.visionTowerMillis(
                                batch.stream().map(Example::image).toList()),
                        batch.size());
            }
            long[][] tokens;
            try (NDManager call = pipeline.model().manager().newSubManager();
                    Autocast ignored = Autocast.enter(options.precision())) {
                BatchEncoder.Inputs in = encoder.inputs(call, batch);
                long[] promptLengths = in.attentionMask().sum(new int[] {1}).toLongArray(); // [B]
                GenerationSettings batchSettings = settings.withForward(forward.withSampleKeys(in.questionIds()));
                GenerationListener timing = meter.batch(
                        promptLengths, Math.toIntExact(in.inputIds().getShape().get(1)));
                tokens = vision == null
                        ? pipeline.generator()
                                .generate(in.pixelValues(), in.inputIds(), in.attentionMask(), batchSettings, timing)
                        : pipeline.generator()
                                .generate(
                                        vision.batch(
                                                call,
                                                batch.stream()
                                                        .map(Example::image)
                                                        .toList()),
                                        in.inputIds(),
                                        in.attentionMask(),
                                        batchSettings,
                                        timing);
            }
            for (int i = 0; i < batch.size(); i++) {
                answers.put(batch.get(i).questionId(), pipeline.tokenizer().decode(tokens[i]));
            }
            long now = System.nanoTime();
            if (answers.size() == examples.size() || (now - lastReport) / 1e9 >= 3) {
                lastReport = now;
                progress.progress(answers.size(), examples.size(), answers.size() / ((now - started) / 1e9));
            }
        }
        int stage = compression.mode().hasStage() ? compression.stage() : 0;
        return new Result(answers, meter.cost(pipeline.model(), processor.height(), stage, options.precision()));
    }
}
