package ai.vtc.contracts;

/**
 * Upper bounds on the settings of a sweep that size a worker's memory or time: a batch of a million images, a
 * thousand beams or a billion steps would each pass the lower bounds and then exhaust a GPU or hold it for days. The
 * scheduler reads them from {@code scheduler.spec.*}; {@code sweep validate} checks the defaults.
 *
 * @param maxBatchSize most examples per batch, for {@code train.batch_size} and {@code eval.batch_size}
 * @param maxBeams most beams of {@code eval.num_beams}
 * @param maxSteps most optimizer steps of {@code train.max_steps}
 * @param maxEpochs most passes of {@code train.epochs}
 * @param maxNewTokens most generated tokens of {@code eval.max_new_tokens} (Florence-2's decoder has 1,024 positions)
 * @param maxPromptChars longest {@code eval.prompt}, in characters
 */
public record SpecBounds(
        int maxBatchSize, int maxBeams, int maxSteps, int maxEpochs, int maxNewTokens, int maxPromptChars) {
    public static final SpecBounds DEFAULT = new SpecBounds(256, 16, 1_000_000, 1_000, 1_024, 1_000);
}
