package ai.vtc.vqa;

import java.util.HashMap;
import java.util.Map;

/**
 * The majority-answer baseline: always answer the most frequent training {@code multiple_choice_answer}, overall or
 * per question type (ties go to the alphabetically first answer). A trained model must beat it to have learnt
 * anything from the images.
 */
public final class MajorityBaseline {
    /** Whether the answer depends on the question type. */
    public enum Scope {
        OVERALL,
        PER_QUESTION_TYPE
    }

    private final String overallAnswer;
    private final Map<String, String> perQuestionType;
    private final Scope scope;

    private MajorityBaseline(String overallAnswer, Map<String, String> perQuestionType, Scope scope) {
        this.overallAnswer = overallAnswer;
        this.perQuestionType = perQuestionType;
        this.scope = scope;
    }

    /** Learns the majority answers from training annotations. */
    public static MajorityBaseline fit(VqaAnnotations train, Scope scope) {
        Map<String, Integer> overall = new HashMap<>();
        Map<String, Map<String, Integer>> byType = new HashMap<>();
        for (int i = 0; i < train.size(); i++) {
            String answer = answerOf(train, i);
            overall.merge(answer, 1, Integer::sum);
            byType.computeIfAbsent(train.questionType(i), k -> new HashMap<>()).merge(answer, 1, Integer::sum);
        }
        if (overall.isEmpty()) {
            throw new IllegalArgumentException("no training annotations");
        }
        Map<String, String> perType = new HashMap<>();
        byType.forEach((type, counts) -> perType.put(type, mostFrequent(counts)));
        return new MajorityBaseline(mostFrequent(overall), perType, scope);
    }

    /** The answer the baseline gives to a question of {@code questionType}. */
    public String answer(String questionType) {
        if (scope == Scope.OVERALL) {
            return overallAnswer;
        }
        return perQuestionType.getOrDefault(questionType, overallAnswer);
    }

    /** The baseline's predictions for every annotated question of {@code target}. */
    public VqaResults predict(VqaAnnotations target) {
        VqaResults.Builder b = VqaResults.builder();
        for (int i = 0; i < target.size(); i++) {
            b.add(target.questionId(i), answer(target.questionType(i)));
        }
        return b.build();
    }

    /** The official accuracy of the baseline's predictions on {@code target}. */
    public VqaAccuracy evaluate(VqaAnnotations target) {
        return VqaEvaluator.evaluate(target, predict(target));
    }

    /** Shortcut: fit on {@code train}, evaluate on {@code target}. */
    public static VqaAccuracy evaluate(VqaAnnotations train, VqaAnnotations target, Scope scope) {
        return fit(train, scope).evaluate(target);
    }

    private static String answerOf(VqaAnnotations a, int i) {
        String mca = a.multipleChoiceAnswer(i);
        return mca != null ? mca : AnswerNormalizer.normalize(AnswerNormalizer.clean(a.answer(i, 0)));
    }

    private static String mostFrequent(Map<String, Integer> counts) {
        String best = null;
        int bestCount = -1;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > bestCount
                    || (e.getValue() == bestCount && e.getKey().compareTo(best) < 0)) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }
}
