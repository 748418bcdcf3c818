package ai.vtc.vqa;

import ai.vtc.vqa.anls.Anls;
import ai.vtc.vqa.internal.VqaJson;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-question ANLS and Levenshtein similarity of one set of predictions, in evaluation order, and their means
 * (fractions in [0, 1], not rounded, as the original scripts report them).
 */
public final class AnlsScores {
    private final long[] questionIds;
    private final double[] anls;
    private final double[] levenshtein;
    private final String[] questionTypes;
    private final String[] answerTypes;

    AnlsScores(long[] questionIds, double[] anls, double[] levenshtein, String[] questionTypes, String[] answerTypes) {
        this.questionIds = questionIds;
        this.anls = anls;
        this.levenshtein = levenshtein;
        this.questionTypes = questionTypes;
        this.answerTypes = answerTypes;
    }

    public int questionCount() {
        return questionIds.length;
    }

    /** The evaluated question ids, in evaluation order (a copy). */
    public long[] questionIds() {
        return questionIds.clone();
    }

    /** The official ANLS: the mean of {@link #anlsPerQuestion()}. */
    public double anls() {
        return mean(anls);
    }

    /** The Florence-2 DocVQA fine-tuning project's average: the mean of {@link #levenshteinPerQuestion()}. */
    public double levenshteinSimilarity() {
        return mean(levenshtein);
    }

    /** Each question's ANLS, in the order of {@link #questionIds()} (a copy). */
    public double[] anlsPerQuestion() {
        return anls.clone();
    }

    /** Each question's Levenshtein similarity, in the order of {@link #questionIds()} (a copy). */
    public double[] levenshteinPerQuestion() {
        return levenshtein.clone();
    }

    /**
     * The ANLS published like VQA accuracy: in percent, overall and per answer and question type as 100 x the mean
     * rounded to 2 decimals (as {@link VqaEvaluator} rounds), and each question's 100 x ANLS, not rounded, as the
     * per-question scores that intervals and paired comparisons resample.
     */
    public VqaAccuracy anlsPercent() {
        double[] percent = new double[anls.length];
        Map<String, double[]> byQuestionType = new LinkedHashMap<>();
        Map<String, double[]> byAnswerType = new LinkedHashMap<>();
        double sum = 0;
        for (int i = 0; i < anls.length; i++) {
            percent[i] = 100 * anls[i];
            sum += anls[i];
            add(byQuestionType, questionTypes[i], anls[i]);
            add(byAnswerType, answerTypes[i], anls[i]);
        }
        return new VqaAccuracy(
                VqaJson.pythonRound2(100 * sum / anls.length),
                rounded(byAnswerType),
                rounded(byQuestionType),
                questionIds.clone(),
                percent);
    }

    private static void add(Map<String, double[]> sums, String type, double value) {
        double[] s = sums.computeIfAbsent(type, k -> new double[2]);
        s[0] += value;
        s[1]++;
    }

    private static Map<String, Double> rounded(Map<String, double[]> sums) {
        Map<String, Double> out = new HashMap<>();
        sums.forEach((type, s) -> out.put(type, VqaJson.pythonRound2(100 * s[0] / s[1])));
        return out;
    }

    /**
     * {@code {"anls", "levenshtein_similarity", "threshold", "num_questions", "per_question": [{"questionId", "anls",
     * "levenshtein_similarity"}]}}, the per-question values in evaluation order; numbers are the exact doubles.
     */
    public String toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeJson(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Writes {@link #toJson()}; {@code out} is not closed. */
    public void writeJson(OutputStream out) throws IOException {
        try (JsonGenerator g = VqaJson.reportGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("anls", anls());
            g.writeNumberField("levenshtein_similarity", levenshteinSimilarity());
            g.writeNumberField("threshold", Anls.THRESHOLD);
            g.writeNumberField("num_questions", questionIds.length);
            g.writeArrayFieldStart("per_question");
            for (int i = 0; i < questionIds.length; i++) {
                g.writeStartObject();
                g.writeNumberField("questionId", questionIds[i]);
                g.writeNumberField("anls", anls[i]);
                g.writeNumberField("levenshtein_similarity", levenshtein[i]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
        out.flush();
    }

    /** Sums in evaluation order and divides once, as both originals do. */
    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    @Override
    public String toString() {
        return "AnlsScores{anls=" + anls() + ", levenshteinSimilarity=" + levenshteinSimilarity() + ", questions="
                + questionIds.length + "}";
    }
}
