package ai.vtc.vqa;

import ai.vtc.vqa.internal.StringPool;
import ai.vtc.vqa.internal.VqaJson;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The official VQAv2 accuracy, identical to {@code vqaEval.py} of the VQA API (GT-Vision-Lab/VQA, 2021 version).
 *
 * <p>Per question: every answer and the prediction are {@link AnswerNormalizer#clean cleaned}; unless the cleaned
 * ground-truth answers are all identical, all of them and the prediction are {@link AnswerNormalizer#normalize
 * normalised}. For each ground-truth answer, n = how many of the other answer entries equal the prediction, acc =
 * min(1, n/3); the question's accuracy is the mean of these. Aggregates (overall, per answer type, per question type)
 * are 100 * mean over questions, in evaluation order, rounded to 2 decimals half away from zero (Python 2.7's
 * {@code round}). Every sum is taken in the same order as the official code, so ties round identically.
 *
 * <p>Normalisation is computed once per distinct string, so evaluating VQAv2 val (214,354 questions) takes well
 * under a second once loaded.
 */
public final class VqaEvaluator {
    private static final int UNSET = -2;

    private VqaEvaluator() {}

    /**
     * Evaluates all questions; the questions file must name the same questions as the annotations.
     *
     * @throws IdMismatchException when questions and annotations differ, or when the results miss questions, name
     *     unknown ones or repeat one
     */
    public static VqaAccuracy evaluate(VqaQuestions questions, VqaAnnotations annotations, VqaResults results) {
        annotations.checkMatches(questions);
        return evaluate(annotations, results);
    }

    /**
     * Evaluates every annotated question, in annotation-file order (as {@code vqaEval.py} does).
     *
     * @throws IdMismatchException when the results miss questions, name unknown ones or repeat one
     */
    public static VqaAccuracy evaluate(VqaAnnotations annotations, VqaResults results) {
        int[] order = new int[annotations.size()];
        Arrays.setAll(order, i -> i);
        return evaluate(annotations, results, order);
    }

    /**
     * Evaluates the given questions (e.g. a subset), in the given order, as {@code VQAEval.evaluate(quesIds)}. The
     * results must answer exactly these questions.
     *
     * @throws IllegalArgumentException when a question id is not annotated or given twice
     * @throws IdMismatchException when the results miss questions, name other ones or repeat one
     */
    public static VqaAccuracy evaluate(VqaAnnotations annotations, VqaResults results, long[] questionIds) {
        int[] order = new int[questionIds.length];
        boolean[] seen = new boolean[annotations.size()];
        for (int k = 0; k < questionIds.length; k++) {
            int i = annotations.indexOf(questionIds[k]);
            if (i < 0) {
                throw new IllegalArgumentException("question_id " + questionIds[k] + " is not in the annotations");
            }
            if (seen[i]) {
                throw new IllegalArgumentException("question_id " + questionIds[k] + " is given twice");
            }
            seen[i] = true;
            order[k] = i;
        }
        return evaluate(annotations, results, order);
    }

    /**
     * The official accuracy of one prediction against ground-truth answers (numbered 1..n), in [0, 1], not rounded.
     */
    public static double accuracy(List<String> groundTruth, String prediction) {
        if (groundTruth.isEmpty()) {
            throw new IllegalArgumentException("no ground-truth answers");
        }
        String[] gt = new String[groundTruth.size()];
        boolean allSame = true;
        for (int j = 0; j < gt.length; j++) {
            gt[j] = AnswerNormalizer.clean(groundTruth.get(j));
            allSame &= gt[j].equals(gt[0]);
        }
        String pred = AnswerNormalizer.clean(prediction);
        if (!allSame) {
            for (int j = 0; j < gt.length; j++) {
                gt[j] = AnswerNormalizer.normalize(gt[j]);
            }
            pred = AnswerNormalizer.normalize(pred);
        }
        int matches = 0;
        for (String a : gt) {
            if (a.equals(pred)) {
                matches++;
            }
        }
        double sum = 0;
        for (String a : gt) {
            sum += leaveOneOut(matches - (a.equals(pred) ? 1 : 0));
        }
        return sum / gt.length;
    }

    private static VqaAccuracy evaluate(VqaAnnotations gt, VqaResults res, int[] order) {
        if (order.length == 0) {
            throw new IllegalArgumentException("no questions to evaluate");
        }
        int[] predictionOf = matchResults(gt, res, order);

        // ground truth: each distinct string cleaned and normalised once, into one pool of canonical strings
        StringPool canonical = new StringPool();
        int[] cleanedId = filled(gt.strings.size());
        int[] normalisedId = filled(gt.strings.size());
        boolean[] unanimous = new boolean[order.length];
        for (int q = 0; q < order.length; q++) {
            int i = order[q];
            int from = gt.answerStart[i];
            int to = gt.answerStart[i + 1];
            if (from == to) {
                throw new IllegalArgumentException("question_id " + gt.questionIds[i] + " has no answers");
            }
            boolean allSame = true;
            int first = -1;
            for (int k = from; k < to; k++) {
                int s = gt.answers[k];
                if (cleanedId[s] == UNSET) {
                    cleanedId[s] = canonical.intern(AnswerNormalizer.clean(gt.strings.get(s)));
                }
                if (k == from) {
                    first = cleanedId[s];
                } else {
                    allSame &= cleanedId[s] == first;
                }
            }
            unanimous[q] = allSame;
            if (!allSame) {
                for (int k = from; k < to; k++) {
                    int s = gt.answers[k];
                    if (normalisedId[s] == UNSET) {
                        normalisedId[s] = canonical.intern(AnswerNormalizer.normalize(canonical.get(cleanedId[s])));
                    }
                }
            }
        }

        // predictions: looked up among the canonical strings, -1 when no ground-truth answer has that form
        int[] predictionCleaned = filled(res.strings.size());
        int[] predictionNormalised = filled(res.strings.size());
        Map<String, Integer> typeIds = new HashMap<>();
        int[] questionTypeOf = new int[gt.strings.size()];
        int[] answerTypeOf = new int[gt.strings.size()];
        double[] typeSums = new double[16];
        int[] typeCounts = new int[16];
        String[] typeNames = new String[16];
        Arrays.fill(questionTypeOf, -1);
        Arrays.fill(answerTypeOf, -1);

        RoundingCache rounding = new RoundingCache();
        long[] questionIds = new long[order.length];
        double[] perQuestion = new double[order.length];
        double overallSum = 0;
        for (int q = 0; q < order.length; q++) {
            int i = order[q];
            int p = res.answers[predictionOf[i]];
            int target;
            int[] ids;
            if (predictionCleaned[p] == UNSET) {
                predictionCleaned[p] = canonical.find(AnswerNormalizer.clean(res.strings.get(p)));
            }
            if (unanimous[q]) {
                target = predictionCleaned[p];
                ids = cleanedId;
            } else {
                if (predictionNormalised[p] == UNSET) {
                    String cleaned = AnswerNormalizer.clean(res.strings.get(p));
                    predictionNormalised[p] = canonical.find(AnswerNormalizer.normalize(cleaned));
                }
                target = predictionNormalised[p];
                ids = normalisedId;
            }
            double acc = questionAccuracy(gt, i, ids, target);

            overallSum += acc;
            questionIds[q] = gt.questionIds[i];
            double percent = 100 * acc;
            perQuestion[q] = rounding.round2(percent);

            int qt = typeId(gt, gt.questionTypes[i], questionTypeOf, "q:", typeIds);
            int at = typeId(gt, gt.answerTypes[i], answerTypeOf, "a:", typeIds);
            if (Math.max(qt, at) >= typeSums.length) {
                int size = Math.max(qt, at) * 2;
                typeSums = Arrays.copyOf(typeSums, size);
                typeCounts = Arrays.copyOf(typeCounts, size);
                typeNames = Arrays.copyOf(typeNames, size);
            }
            typeSums[qt] += acc;
            typeCounts[qt]++;
            typeNames[qt] = gt.strings.get(gt.questionTypes[i]);
            typeSums[at] += acc;
            typeCounts[at]++;
            typeNames[at] = gt.strings.get(gt.answerTypes[i]);
        }

        Map<String, Double> perQuestionType = new HashMap<>();
        Map<String, Double> perAnswerType = new HashMap<>();
        for (Map.Entry<String, Integer> e : typeIds.entrySet()) {
            int t = e.getValue();
            double value = VqaJson.pythonRound2(100 * typeSums[t] / typeCounts[t]);
            (e.getKey().startsWith("q:") ? perQuestionType : perAnswerType).put(typeNames[t], value);
        }
        double overall = VqaJson.pythonRound2(100 * overallSum / order.length);
        return new VqaAccuracy(overall, perAnswerType, perQuestionType, questionIds, perQuestion);
    }

    /** Mean over the answer entries of min(1, matches among the other entries / 3), summed in answer order. */
    private static double questionAccuracy(VqaAnnotations gt, int i, int[] ids, int target) {
        int from = gt.answerStart[i];
        int to = gt.answerStart[i + 1];
        double sum = 0;
        if (gt.answerIds == null) {
            // entries differ at least in answer_id, so "the others" are all entries but this one
            int matches = 0;
            for (int k = from; k < to; k++) {
                if (ids[gt.answers[k]] == target) {
                    matches++;
                }
            }
            for (int k = from; k < to; k++) {
                sum += leaveOneOut(matches - (target >= 0 && ids[gt.answers[k]] == target ? 1 : 0));
            }
        } else {
            // official: otherGTAns = entries != this one as dicts, so identical duplicates leave together
            for (int k = from; k < to; k++) {
                int n = 0;
                for (int m = from; m < to; m++) {
                    boolean sameEntry = ids[gt.answers[m]] == ids[gt.answers[k]]
                            && gt.confidences[m] == gt.confidences[k]
                            && gt.answerIds[m] == gt.answerIds[k];
                    if (!sameEntry && ids[gt.answers[m]] == target) {
                        n++;
                    }
                }
                sum += leaveOneOut(n);
            }
        }
        return sum / (to - from);
    }

    private static double leaveOneOut(int matches) {
        return matches >= 3 ? 1 : matches / 3.0;
    }

    /**
     * For each annotation index of {@code order}, the index of its result; the results must answer exactly those
     * questions, once each.
     *
     * @throws IdMismatchException naming questions without a prediction, unknown ones and repeated ones
     */
    static int[] matchResults(VqaAnnotations gt, VqaResults res, int[] order) {
        int[] predictionOf = new int[gt.size()];
        boolean[] expected = new boolean[gt.size()];
        for (int i : order) {
            expected[i] = true;
        }
        Arrays.fill(predictionOf, -1);
        IdMismatchException.Collector c = new IdMismatchException.Collector(
                "the results and the annotations",
                "questions without a prediction",
                "predictions for unknown questions");
        for (int r = 0; r < res.questionIds.length; r++) {
            int i = gt.indexOf(res.questionIds[r]);
            if (i < 0 || !expected[i]) {
                c.unknown(res.questionIds[r]);
            } else if (predictionOf[i] >= 0) {
                c.duplicate(res.questionIds[r]);
            } else {
                predictionOf[i] = r;
            }
        }
        for (int i : order) {
            if (predictionOf[i] < 0) {
                c.missing(gt.questionIds[i]);
            }
        }
        c.throwIfAny();
        return predictionOf;
    }

    private static int typeId(VqaAnnotations gt, int stringId, int[] cache, String prefix, Map<String, Integer> ids) {
        if (cache[stringId] < 0) {
            cache[stringId] = ids.computeIfAbsent(prefix + gt.strings.get(stringId), k -> ids.size());
        }
        return cache[stringId];
    }

    /** Python's round(x, 2) of the few distinct per-question values, each computed once. */
    private static final class RoundingCache {
        private final double[] keys = new double[64];
        private final double[] values = new double[64];
        private int size;

        double round2(double x) {
            for (int i = 0; i < size; i++) {
                if (Double.doubleToRawLongBits(keys[i]) == Double.doubleToRawLongBits(x)) {
                    return values[i];
                }
            }
            double rounded = VqaJson.pythonRound2(x);
            if (size < keys.length) {
                keys[size] = x;
                values[size++] = rounded;
            }
            return rounded;
        }
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, UNSET);
        return a;
    }
}
