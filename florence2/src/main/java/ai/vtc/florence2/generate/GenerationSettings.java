package ai.vtc.florence2.generate;

import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2TextConfig;
import ai.vtc.florence2.ForwardOptions;

/**
 * How to generate, with the meaning of Hugging Face's {@code generate()} arguments.
 *
 * @param maxNewTokens tokens generated after the decoder start token ({@code max_length = 1 + maxNewTokens})
 * @param numBeams 1: greedy search, more: beam search
 * @param lengthPenalty beam scores are divided by (generated length)^lengthPenalty
 * @param earlyStopping beam search stops for a sample once {@code numBeams} finished hypotheses exist
 * @param noRepeatNgramSize 0 or the n-gram length that may not occur twice
 * @param forcedBosTokenId token forced as the first generated token, or null
 * @param forcedEosTokenId token forced as the last token when {@code max_length} is reached, or null
 * @param forward forward options (padding-mask handling, encoder hook for compression)
 */
public record GenerationSettings(
        int maxNewTokens,
        int numBeams,
        double lengthPenalty,
        boolean earlyStopping,
        int noRepeatNgramSize,
        Integer forcedBosTokenId,
        Integer forcedEosTokenId,
        ForwardOptions forward) {

    public GenerationSettings {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        if (numBeams < 1) {
            throw new IllegalArgumentException("numBeams must be >= 1, got " + numBeams);
        }
        if (noRepeatNgramSize < 0) {
            throw new IllegalArgumentException("noRepeatNgramSize must be >= 0, got " + noRepeatNgramSize);
        }
        if (forward == null) {
            forward = ForwardOptions.REFERENCE;
        }
    }

    /** Plain greedy search without logits processors (the golden fixtures' procedure). */
    public static GenerationSettings greedy(int maxNewTokens) {
        return new GenerationSettings(maxNewTokens, 1, 1.0, false, 0, null, null, ForwardOptions.REFERENCE);
    }

    /**
     * What {@code model.generate(...)} does for Florence-2 without extra arguments: the generation keys of {@code
     * text_config} (num_beams, no_repeat_ngram_size, early_stopping, length_penalty, forced BOS/EOS).
     */
    public static GenerationSettings fromConfig(Florence2Config config, int maxNewTokens) {
        Florence2TextConfig t = config.textConfig();
        return new GenerationSettings(
                maxNewTokens,
                t.numBeams(),
                t.lengthPenalty(),
                t.earlyStopping(),
                t.noRepeatNgramSize(),
                t.forcedBosTokenId(),
                t.forcedEosTokenId(),
                ForwardOptions.REFERENCE);
    }

    public GenerationSettings withNumBeams(int beams) {
        return new GenerationSettings(
                maxNewTokens,
                beams,
                lengthPenalty,
                earlyStopping,
                noRepeatNgramSize,
                forcedBosTokenId,
                forcedEosTokenId,
                forward);
    }

    public GenerationSettings withMaxNewTokens(int tokens) {
        return new GenerationSettings(
                tokens,
                numBeams,
                lengthPenalty,
                earlyStopping,
                noRepeatNgramSize,
                forcedBosTokenId,
                forcedEosTokenId,
                forward);
    }

    public GenerationSettings withLengthPenalty(double penalty) {
        return new GenerationSettings(
                maxNewTokens,
                numBeams,
                penalty,
                earlyStopping,
                noRepeatNgramSize,
                forcedBosTokenId,
                forcedEosTokenId,
                forward);
    }

    public GenerationSettings withEarlyStopping(boolean early) {
        return new GenerationSettings(
                maxNewTokens,
                numBeams,
                lengthPenalty,
                early,
                noRepeatNgramSize,
                forcedBosTokenId,
                forcedEosTokenId,
                forward);
    }

    public GenerationSettings withNoRepeatNgramSize(int n) {
        return new GenerationSettings(
                maxNewTokens, numBeams, lengthPenalty, earlyStopping, n, forcedBosTokenId, forcedEosTokenId, forward);
    }

    public GenerationSettings withForcedTokens(Integer bos, Integer eos) {
        return new GenerationSettings(
                maxNewTokens, numBeams, lengthPenalty, earlyStopping, noRepeatNgramSize, bos, eos, forward);
    }

    public GenerationSettings withForward(ForwardOptions options) {
        return new GenerationSettings(
                maxNewTokens,
                numBeams,
                lengthPenalty,
                earlyStopping,
                noRepeatNgramSize,
                forcedBosTokenId,
                forcedEosTokenId,
                options);
    }

    /** {@code max_length} of Hugging Face: the decoder start token plus the new tokens. */
    public int maxLength() {
        return 1 + maxNewTokens;
    }
}
