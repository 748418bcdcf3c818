package ai.vtc.vqa.anls;

import java.util.List;

/**
 * The "average normalized Levenshtein similarity" of the Florence-2 DocVQA fine-tuning project
 * (andimarafioti/florence2-finetuning, {@code metrics.py}), per question; its average is the mean of these. It is not
 * the official ANLS ({@link Anls}): no stripping or whitespace handling, one trailing {@code "."} removed from each
 * string, the denominator taken from the processed strings, and the strict threshold ({@code nl < 0.5}, so a
 * similarity of exactly 0.5 counts 0).
 *
 * <p>An empty prediction ({@code ""} before any processing) scores 0. Otherwise each answer and the prediction are
 * lower-cased, lose one trailing dot, and score {@code 1 - distance / max(len)} when that normalised distance is below
 * 0.5, else 0; the question's score is the best over the answers. Where the original divides 0 by 0 (both processed
 * strings empty: a prediction {@code "."} against an answer {@code ""} or {@code "."}) and stops with
 * {@code ZeroDivisionError}, this scores 1, as for any two identical strings.
 */
public final class LevenshteinSimilarity {
    private static final double TAU = 0.5;

    private LevenshteinSimilarity() {}

    /** The score of {@code prediction} against the ground-truth {@code answers} (at least one), in [0, 1]. */
    public static double score(List<String> answers, String prediction) {
        if (answers.isEmpty()) {
            throw new IllegalArgumentException("no ground-truth answers");
        }
        if (prediction.isEmpty()) {
            return 0.0;
        }
        String predicted = PythonText.lower(prediction);
        double best = Double.NEGATIVE_INFINITY;
        for (String answer : answers) {
            best = Math.max(best, similarity(PythonText.lower(answer), predicted));
        }
        return best;
    }

    /** {@code similarity_score(a, o)} of {@code metrics.py}, both already lower-cased. */
    static double similarity(String answer, String predicted) {
        String a = withoutTrailingDot(answer);
        String o = withoutTrailingDot(predicted);
        int longest = Math.max(PythonText.length(a), PythonText.length(o));
        if (longest == 0) {
            return 1.0;
        }
        double nl = (double) Levenshtein.distance(a, o) / longest;
        return nl < TAU ? 1 - nl : 0.0;
    }

    private static String withoutTrailingDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
