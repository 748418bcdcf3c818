package ai.vtc.florence2.postprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A generated token sequence as the processor's {@code decode_with_spans} sees it: the text of the tokens one by one
 * (special tokens as they are, the others through the byte-level decoder), each token's {@code [start, end)} span in
 * that text (code points), and the token's transition score (log-probability) when given.
 */
record ScoredText(String text, List<int[]> spans, double[] scores) {

    /**
     * {@code tokens} as the tokenizer's vocabulary strings, without the decoder start token; {@code scores} one per
     * token, or null.
     */
    static ScoredText decode(List<String> tokens, Set<String> specialTokens, double[] scores) {
        if (scores != null && scores.length != tokens.size()) {
            throw new IllegalArgumentException(scores.length + " transition scores for " + tokens.size()
                    + " generated tokens (the sequence without its decoder start token): they must be as many");
        }
        StringBuilder text = new StringBuilder();
        List<int[]> spans = new ArrayList<>(tokens.size());
        int length = 0;
        for (String token : tokens) {
            String sub = specialTokens.contains(token) ? token : ByteLevelText.decode(token);
            int subLength = PythonText.length(sub);
            spans.add(new int[] {length, length + subLength});
            length += subLength;
            text.append(sub);
        }
        return new ScoredText(text.toString(), spans, scores);
    }

    boolean hasScores() {
        return scores != null;
    }

    /**
     * {@code exp} of the mean score of the tokens whose span overlaps {@code [start, end)}, summed in token order as
     * Python's {@code sum} does.
     */
    double meanScore(int start, int end) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < spans.size(); i++) {
            int[] span = spans.get(i);
            if (!(span[1] <= start || span[0] >= end)) {
                sum += scores[i];
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("no generated token covers characters " + start + " to " + end + " of \""
                    + text + "\": the transition scores do not belong to this text");
        }
        return Math.exp(sum / count);
    }
}
