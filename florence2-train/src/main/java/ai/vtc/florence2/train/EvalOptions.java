package ai.vtc.florence2.train;

import ai.vtc.contracts.SpecDefaults;
import ai.vtc.florence2.nn.Precision;
import java.util.Objects;

/**
 * How {@link VqaAnswerer} answers questions.
 *
 * @param numBeams beam width; 1 is greedy search (default {@value SpecDefaults#NUM_BEAMS})
 * @param maxNewTokens answer length limit in tokens (default {@value SpecDefaults#MAX_NEW_TOKENS})
 * @param noRepeatNgramSize 0 disables the rule (default {@value SpecDefaults#NO_REPEAT_NGRAM_SIZE})
 * @param promptTemplate prompt with {@code {question}} (default {@value SpecDefaults#PROMPT})
 * @param batchSize examples per generate call (default {@value SpecDefaults#EVAL_BATCH_SIZE})
 * @param honourPaddingMask mask prompt padding (default true, as in training; answers then do not depend on batching)
 * @param threads libtorch intra-op threads; 0 leaves the engine's setting
 * @param precision the type matrix products run in while answering ({@link ai.vtc.florence2.nn.Autocast}; default
 *     fp32)
 */
public record EvalOptions(
        int numBeams,
        int maxNewTokens,
        int noRepeatNgramSize,
        String promptTemplate,
        int batchSize,
        boolean honourPaddingMask,
        int threads,
        Precision precision) {

    public EvalOptions {
        Objects.requireNonNull(precision, "precision");
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
     * The sweep's evaluation defaults ({@link SpecDefaults}; docs/architecture.md, "Training and inference"), the
     * padding mask honoured, the engine's threads.
     */
    public static EvalOptions defaults() {
        return new EvalOptions(
                SpecDefaults.NUM_BEAMS,
                SpecDefaults.MAX_NEW_TOKENS,
                SpecDefaults.NO_REPEAT_NGRAM_SIZE,
                SpecDefaults.PROMPT,
                SpecDefaults.EVAL_BATCH_SIZE,
                true,
                0,
                Precision.FP32);
    }

    public EvalOptions withNumBeams(int v) {
        return new EvalOptions(
                v, maxNewTokens, noRepeatNgramSize, promptTemplate, batchSize, honourPaddingMask, threads, precision);
    }

    public EvalOptions withMaxNewTokens(int v) {
        return new EvalOptions(
                numBeams, v, noRepeatNgramSize, promptTemplate, batchSize, honourPaddingMask, threads, precision);
    }

    public EvalOptions withNoRepeatNgramSize(int v) {
        return new EvalOptions(
                numBeams, maxNewTokens, v, promptTemplate, batchSize, honourPaddingMask, threads, precision);
    }

    public EvalOptions withPromptTemplate(String v) {
        return new EvalOptions(
                numBeams, maxNewTokens, noRepeatNgramSize, v, batchSize, honourPaddingMask, threads, precision);
    }

    public EvalOptions withBatchSize(int v) {
        return new EvalOptions(
                numBeams, maxNewTokens, noRepeatNgramSize, promptTemplate, v, honourPaddingMask, threads, precision);
    }

    public EvalOptions withHonourPaddingMask(boolean v) {
        return new EvalOptions(
                numBeams, maxNewTokens, noRepeatNgramSize, promptTemplate, batchSize, v, threads, precision);
    }

    public EvalOptions withThreads(int v) {
        return new EvalOptions(
                numBeams, maxNewTokens, noRepeatNgramSize, promptTemplate, batchSize, honourPaddingMask, v, precision);
    }

    public EvalOptions withPrecision(Precision v) {
        return new EvalOptions(
                numBeams, maxNewTokens, noRepeatNgramSize, promptTemplate, batchSize, honourPaddingMask, threads, v);
    }
}
