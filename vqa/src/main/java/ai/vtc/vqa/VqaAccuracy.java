package ai.vtc.vqa;

import ai.vtc.vqa.internal.VqaJson;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The official accuracies in percent, rounded to 2 decimals as the official code does ({@code e.accuracy} and
 * {@code e.evalQA} of {@code vqaEval.py}).
 */
public final class VqaAccuracy {
    private final double overall;
    private final SortedMap<String, Double> perAnswerType;
    private final SortedMap<String, Double> perQuestionType;
    private final long[] questionIds;
    private final double[] perQuestion;

    VqaAccuracy(
            double overall,
            Map<String, Double> perAnswerType,
            Map<String, Double> perQuestionType,
            long[] questionIds,
            double[] perQuestion) {
        this.overall = overall;
        this.perAnswerType = Collections.unmodifiableSortedMap(new TreeMap<>(perAnswerType));
        this.perQuestionType = Collections.unmodifiableSortedMap(new TreeMap<>(perQuestionType));
        this.questionIds = questionIds;
        this.perQuestion = perQuestion;
    }

    /** Accuracy over all evaluated questions. */
    public double overall() {
        return overall;
    }

    /** By {@code answer_type} ({@code yes/no}, {@code number}, {@code other}), keys sorted. */
    public SortedMap<String, Double> perAnswerType() {
        return perAnswerType;
    }

    /** By {@code question_type} ({@code how many}, {@code what color is the}, ...), keys sorted. */
    public SortedMap<String, Double> perQuestionType() {
        return perQuestionType;
    }

    public int questionCount() {
        return questionIds.length;
    }

    /** The evaluated question ids, in evaluation order (a copy). */
    public long[] questionIds() {
        return questionIds.clone();
    }

    /** Accuracy of each question of {@link #questionIds()}, same order (a copy): 0, 30, 60, 90 or 100 for VQAv2. */
    public double[] questionAccuracies() {
        return perQuestion.clone();
    }

    /** {@code evalQA}: question id to accuracy, in evaluation order. */
    public Map<Long, Double> perQuestion() {
        Map<Long, Double> map = new LinkedHashMap<>(questionIds.length * 2);
        for (int i = 0; i < questionIds.length; i++) {
            map.put(questionIds[i], perQuestion[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** {@code {"overall": ..., "perAnswerType": {...}, "perQuestionType": {...}}}, numbers as Python prints them. */
    public String toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeJson(out, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Writes {@link #toJson()}, plus {@code "evalQA"} when {@code includePerQuestion}; {@code out} is not closed. */
    public void writeJson(OutputStream out, boolean includePerQuestion) throws IOException {
        try (JsonGenerator g = VqaJson.reportGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("overall");
            g.writeNumber(VqaJson.pythonFloat(overall));
            writeMap(g, "perAnswerType", perAnswerType);
            writeMap(g, "perQuestionType", perQuestionType);
            if (includePerQuestion) {
                g.writeFieldName("evalQA");
                writePerQuestion(g);
            }
            g.writeEndObject();
            g.writeRaw('\n');
        }
        out.flush();
    }

    /** Writes {@code evalQA} as the official demo does: {@code {"<question id>": accuracy}}, ids ascending. */
    public void writePerQuestionJson(OutputStream out) throws IOException {
        try (JsonGenerator g = VqaJson.reportGenerator(out)) {
            writePerQuestion(g);
            g.writeRaw('\n');
        }
        out.flush();
    }

    private void writePerQuestion(JsonGenerator g) throws IOException {
        Integer[] order = new Integer[questionIds.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Long.compare(questionIds[a], questionIds[b]));
        g.writeStartObject();
        for (int i : order) {
            g.writeFieldName(Long.toString(questionIds[i]));
            g.writeNumber(VqaJson.pythonFloat(perQuestion[i]));
        }
        g.writeEndObject();
    }

    private static void writeMap(JsonGenerator g, String name, Map<String, Double> map) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Double> e : map.entrySet()) {
            g.writeFieldName(e.getKey());
            g.writeNumber(VqaJson.pythonFloat(e.getValue()));
        }
        g.writeEndObject();
    }

    @Override
    public String toString() {
        return "VqaAccuracy{overall=" + overall + ", perAnswerType=" + perAnswerType + ", questions="
                + questionIds.length + "}";
    }
}
