package ai.vtc.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The per-type accuracy JSON: VQAv2 accuracy in percent per answer type ({@code yes/no}, {@code number},
 * {@code other}) or per question type ({@code what color is the}, ...), as one object with the types in code-point
 * order: {@code {"number":20.0,"other":35.12,"yes/no":61.3}}. The evaluator stores it (columns
 * {@code perAnswerType}, {@code perQuestionType}) and answers with it; the scheduler stores the answer-type one it
 * receives in {@link EvaluationEvent.Completed}. Every service reads and writes it here, so stored text that is not
 * such an object fails the same way everywhere.
 */
public final class AccuracyByType {
    private static final TypeReference<TreeMap<String, Double>> TYPE = new TypeReference<>() {};
    private static final int QUOTED_CHARS = 200;

    private AccuracyByType() {}

    /** The JSON of {@code percentByType}, types sorted. */
    public static String write(Map<String, Double> percentByType) {
        return Json.write(new TreeMap<>(percentByType));
    }

    /**
     * The accuracies in {@code json}, types sorted.
     *
     * @throws IllegalArgumentException when {@code json} is null or not a JSON object of type to number, quoting it
     */
    public static SortedMap<String, Double> read(String json) {
        if (json == null) {
            throw new IllegalArgumentException("per-type accuracy is missing (null instead of a JSON object)");
        }
        TreeMap<String, Double> percent;
        try {
            percent = Json.mapper().readValue(json, TYPE);
        } catch (JsonProcessingException e) {
            throw invalid(json, e.getOriginalMessage());
        }
        if (percent == null) {
            throw invalid(json, "null");
        }
        percent.forEach((type, value) -> {
            if (value == null) {
                throw invalid(json, "'" + type + "' has no accuracy");
            }
        });
        return Collections.unmodifiableSortedMap(percent);
    }

    private static IllegalArgumentException invalid(String json, String why) {
        String quoted = json.length() <= QUOTED_CHARS ? json : json.substring(0, QUOTED_CHARS) + "...";
        return new IllegalArgumentException(
                "per-type accuracy is not a JSON object of type to percent (" + why + "): " + quoted);
    }
}
