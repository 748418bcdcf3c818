package ai.vtc.vqa.anls;

import java.util.List;

/**
 * The per-question ANLS (Average Normalized Levenshtein Similarity) exactly as the official DocVQA / InfographicVQA
 * evaluation script of the Robust Reading Competition computes it ({@code infographicsvqa_eval.py},
 * {@code evaluate_method}); the overall ANLS is the mean of these over the questions.
 *
 * <p>For every ground-truth answer {@code a} and the prediction {@code p}: both are stripped, lower-cased and their
 * whitespace runs collapsed to one space; {@code nl = distance / length}, where {@code length} is the larger of the
 * code-point lengths of the <em>raw</em> {@code a.upper()} and {@code p.upper()} (so surrounding whitespace and
 * letters that upper-case to two, like {@code ß}, enlarge it), and {@code nl = 0} when that length is 0. The score is
 * {@code 1 - min(nl)}, set to 0 when it is below the threshold 0.5: a similarity of exactly 0.5 is kept, unlike the
 * strict {@code NL < tau} of the paper's formula.
 */
public final class Anls {
    /** The threshold of the DocVQA challenge: scores below it count 0. */
    public static final double THRESHOLD = 0.5;

    private Anls() {}

    /** The score of {@code prediction} against the ground-truth {@code answers} (at least one), in [0, 1]. */
    public static double score(List<String> answers, String prediction) {
        if (answers.isEmpty()) {
            throw new IllegalArgumentException("no ground-truth answers");
        }
        String detected = normalize(prediction);
        int detectedLength = PythonText.length(PythonText.upper(prediction));
        double smallest = Double.POSITIVE_INFINITY;
        for (String answer : answers) {
            int distance = Levenshtein.distance(normalize(answer), detected);
            int length = Math.max(PythonText.length(PythonText.upper(answer)), detectedLength);
            double nl = length == 0 ? 0.0 : (double) distance / (double) length;
            smallest = Math.min(smallest, nl);
        }
        double score = 1 - smallest;
        return score < THRESHOLD ? 0.0 : score;
    }

    /** {@code " ".join(s.strip().lower().split())}. */
    static String normalize(String s) {
        return PythonText.collapseWhitespace(PythonText.lower(s));
    }
}
