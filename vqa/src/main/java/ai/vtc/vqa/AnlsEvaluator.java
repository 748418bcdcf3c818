package ai.vtc.vqa;

import ai.vtc.vqa.anls.Anls;
import ai.vtc.vqa.anls.LevenshteinSimilarity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores predictions against DocVQA-style annotations (the annotators' answers are the ground truth, as
 * {@link ai.vtc.vqa.docvqa.DocVqaConversion} writes them) with both document metrics: the official ANLS
 * ({@link Anls}) and the Levenshtein similarity of the Florence-2 DocVQA fine-tuning project
 * ({@link LevenshteinSimilarity}). Questions are scored and summed in annotation-file order, as both originals sum in
 * the order of the questions file; predictions are matched by question id.
 */
public final class AnlsEvaluator {
    private AnlsEvaluator() {}

    /**
     * Scores every annotated question.
     *
     * @throws IdMismatchException when the results miss questions, name unknown ones or repeat one
     */
    public static AnlsScores evaluate(VqaAnnotations annotations, VqaResults results) {
        int n = annotations.size();
        if (n == 0) {
            throw new IllegalArgumentException("no questions to evaluate");
        }
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        int[] predictionOf = VqaEvaluator.matchResults(annotations, results, order);
        long[] ids = new long[n];
        double[] anls = new double[n];
        double[] levenshtein = new double[n];
        String[] questionTypes = new String[n];
        String[] answerTypes = new String[n];
        for (int i = 0; i < n; i++) {
            if (annotations.answerCount(i) == 0) {
                throw new IllegalArgumentException("question_id " + annotations.questionId(i) + " has no answers");
            }
            List<String> answers = new ArrayList<>(annotations.answerCount(i));
            for (int j = 0; j < annotations.answerCount(i); j++) {
                answers.add(annotations.answer(i, j));
            }
            String prediction = results.answer(predictionOf[i]);
            ids[i] = annotations.questionId(i);
            anls[i] = Anls.score(answers, prediction);
            levenshtein[i] = LevenshteinSimilarity.score(answers, prediction);
            questionTypes[i] = annotations.questionType(i);
            answerTypes[i] = annotations.answerType(i);
        }
        return new AnlsScores(ids, anls, levenshtein, questionTypes, answerTypes);
    }
}
