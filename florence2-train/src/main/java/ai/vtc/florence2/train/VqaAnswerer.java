package ai.vtc.florence2.train;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.VisualTokenCompressor;
import ai.vtc.florence2.compress.VisualTokens;
import ai.vtc.florence2.generate.GenerationSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers VQA questions with a (trained) model under an inference compression setting: batched generation (beam search
 * or greedy, Florence-2's forced BOS/EOS and length penalty from the model config), compression inside the encoder so
 * the cached decoder cross-attends to the compressed sequence, answers decoded without special tokens.
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
        if (options.threads() > 0) {
            JniUtils.setNumThreads(options.threads());
        }
        Listener progress = listener == null ? Listener.NONE : listener;
        compression.validateFor(
                pipeline.model().numEncoderLayers(),
                VisualTokens.gridTokens(pipeline.model().config(), pipeline.imageProcessor()));
        GenerationSettings settings = GenerationSettings.fromConfig(
                        pipeline.model().config(), options.maxNewTokens())
                .withNumBeams(options.numBeams())
                .withNoRepeatNgramSize(options.noRepeatNgramSize())
                .withForward(ForwardOptions.REFERENCE
                        .withPaddingMask(options.honourPaddingMask())
                        .withEncoderHook(VisualTokenCompressor.forModel(pipeline.model(), compression)));
        BatchEncoder encoder = new BatchEncoder(
                pipeline.tokenizer(),
                new PixelCache(pipeline.imageProcessor(), 0),
                options.promptTemplate(),
                pipeline.model().config().textConfig());
        Map<Long, String> answers = new LinkedHashMap<>();
        long started = System.nanoTime();
        long lastReport = started;
        for (int from = 0; from < examples.size(); from += options.batchSize()) {
            if (progress.stopRequested()) {
                break;
            }
            List<Example> batch = examples.subList(from, Math.min(examples.size(), from + options.batchSize()));
            long[][] tokens;
            try (NDManager call = pipeline.model().manager().newSubManager()) {
                BatchEncoder.Inputs in = encoder.inputs(call, batch);
                tokens = pipeline.generator().generate(in.pixelValues(), in.inputIds(), in.attentionMask(), settings);
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
        return answers;
    }
}
