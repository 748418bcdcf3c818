package ai.vtc.florence2.train;

/**
 * How {@link Predictor} answers questions.
 *
 * @param numBeams beam width; 1 is greedy search (default 3)
 * @param maxNewTokens answer length limit in tokens (default 8)
 * @param noRepeatNgramSize 0 disables the rule (default 3)
 * @param promptTemplate prompt with {@code {question}} (default {@code <VQA>{question}})
 * @param batchSize examples per generate call (default 16)
 * @param honourPaddingMask mask prompt padding (default true, as in training; answers then do not depend on batching)
 * @param threads libtorch intra-op threads; 0 leaves the engine's setting
 */
public record EvalOptions(
        int numBeams,
        int maxNewTokens,
        int noRepeatNgramSize,
        String promptTemplate,
        int batchSize,
        boolean honourPaddingMask,
        int threads) {

    public EvalOptions {
        if (numBeams < 1 || maxNewTokens < 1 || noRepeatNgramSize < 0 || batchSize < 1 || threads < 0) {
            throw new IllegalArgumentException("need num_beams >= 1, max_new_tokens >= 1, no_repeat_ngram_size >= 0,"
                    + " batch_size >= 1, threads >= 0; got " + numBeams + ", " + maxNewTokens + ", "
                    + noRepeatNgramSize + ", " + batchSize + ", " + threads);
        }
        if (promptTemplate == null || !promptTemplate.contains("{question}")) {
            throw new IllegalArgumentException(
                    "prompt template must contain {question}, got \"" + promptTemplate + "\"");
        }
    }

    /**
     * 3 beams, 8 new tokens, no-repeat 3-grams, {@code <VQA>{question}}, batches of 16 (docs/architecture.md,
     * "Training and inference").
     */
    public static EvalOptions defaults() {
        return new EvalOptions(3, 8, 3, TrainOptions.DEFAULT_PROMPT, 16, true, 0);
    }

    public EvalOptions withNumBeams(int v) {
        return new EvalOptions(
                v, maxNewTokens, noRepeatNgramSize, promptTemplate, batchSize, honourPaddingMask, threads);
    }

    public EvalOptions withMaxNewTokens(int v) {
        return new EvalOptions(numBeams, v, noRepeatNgramSize, promptTemplate, batchSize, honourPaddingMask, threads);
    }

    public EvalOptions withNoRepeatNgramSize(int v) {
        return new EvalOptions(numBeams, maxNewTokens, v, promptTemplate, batchSize, honourPaddingMask, threads);
    }

    public EvalOptions withPromptTemplate(String v) {
        return new EvalOptions(numBeams, maxNewTokens, noRepeatNgramSize, v, batchSize, honourPaddingMask, threads);
    }

    public EvalOptions withBatchSize(int v) {
        return new EvalOptions(
                numBeams, maxNewTokens, noRepeatNgramSize, promptTemplate, v, honourPaddingMask, threads);
    }

    public EvalOptions withHonourPaddingMask(boolean v) {
        return new EvalOptions(numBeams, maxNewTokens, noRepeatNgramSize, promptTemplate, batchSize, v, threads);
    }

    public EvalOptions withThreads(int v) {
        return new EvalOptions(
                numBeams, maxNewTokens, noRepeatNgramSize, promptTemplate, batchSize, honourPaddingMask, v);
    }
}
