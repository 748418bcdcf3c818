package ai.vtc.florence2.generate;

import java.util.Arrays;

/**
 * The logits processors Florence-2's generation uses, applied in Java to one row of scores (a hypothesis): {@code
 * NoRepeatNGramLogitsProcessor}, {@code ForcedBOSTokenLogitsProcessor}, {@code ForcedEOSTokenLogitsProcessor}.
 * Banned tokens get -infinity, as in Hugging Face.
 */
final class LogitsProcessors {

    private final GenerationSettings settings;

    LogitsProcessors(GenerationSettings settings) {
        this.settings = settings;
    }

    /**
     * @param sequence the hypothesis so far, decoder start token included (its length is HF's {@code cur_len})
     * @param scores the row of V scores, changed in place
     */
    void apply(long[] sequence, int length, float[] scores, int offset, int vocab) {
        int n = settings.noRepeatNgramSize();
        if (n > 0 && length + 1 >= n) {
            banRepeatedNgrams(sequence, length, n, scores, offset);
        }
        if (settings.forcedBosTokenId() != null && length == 1) {
            force(settings.forcedBosTokenId(), scores, offset, vocab);
        }
        if (settings.forcedEosTokenId() != null && length == settings.maxLength() - 1) {
            force(settings.forcedEosTokenId(), scores, offset, vocab);
        }
    }

    boolean isEmpty() {
        return settings.noRepeatNgramSize() == 0
                && settings.forcedBosTokenId() == null
                && settings.forcedEosTokenId() == null;
    }

    /** A token that would complete an n-gram already present in the sequence is banned. */
    private static void banRepeatedNgrams(long[] seq, int length, int n, float[] scores, int offset) {
        int prefixStart = length - n + 1; // the last n-1 tokens form the prefix of the next n-gram
        for (int start = 0; start + n <= length; start++) {
            boolean same = true;
            for (int j = 0; j < n - 1 && same; j++) {
                same = seq[start + j] == seq[prefixStart + j];
            }
            if (same) {
                scores[offset + (int) seq[start + n - 1]] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    private static void force(int token, float[] scores, int offset, int vocab) {
        Arrays.fill(scores, offset, offset + vocab, Float.NEGATIVE_INFINITY);
        scores[offset + token] = 0f;
    }
}
