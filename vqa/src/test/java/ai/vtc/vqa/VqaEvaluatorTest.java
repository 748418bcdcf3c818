package ai.vtc.vqa;

import static ai.vtc.vqa.Fixtures.annotation;
import static ai.vtc.vqa.Fixtures.annotations;
import static ai.vtc.vqa.Fixtures.results;
import static ai.vtc.vqa.Fixtures.tenTimes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VqaEvaluatorTest {
    @Test
    void leaveOneOutMinOfOneAndMatchesOverThree() {
        String[] answers = {"2", "2", "3", "3", "3", "3", "4", "4", "4", "4"};
        VqaAnnotations gt = annotations(annotation(1000, "how many", "number", answers));
        // "2": 2 matches; the 2 sets leaving a "2" out see 1 match (1/3), the 8 others 2 (2/3) -> 18/30 = 60%
        assertEquals(60.0, VqaEvaluator.evaluate(gt, results(1000, "2")).overall());
        // "3": 4 matches, every set sees >= 3 -> 100%
        assertEquals(100.0, VqaEvaluator.evaluate(gt, results(1000, "three")).overall());
        assertEquals(0.0, VqaEvaluator.evaluate(gt, results(1000, "5")).overall());
        // one match: the 9 sets keeping it see 1/3 -> 30%
        String[] one = {"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "x"};
        VqaAnnotations single = annotations(annotation(2000, "what", "other", one));
        assertEquals(30.0, VqaEvaluator.evaluate(single, results(2000, "x")).overall());
    }

    @Test
    void tenIdenticalAnswersAreNotNormalisedNorIsThePrediction() {
        VqaAnnotations gt = annotations(annotation(1000, "is this", "yes/no", tenTimes("yes")));
        assertEquals(0.0, VqaEvaluator.evaluate(gt, results(1000, "Yes")).overall());
        assertEquals(0.0, VqaEvaluator.evaluate(gt, results(1000, "yes.")).overall());
        assertEquals(100.0, VqaEvaluator.evaluate(gt, results(1000, " yes\n")).overall());
        // identical after strip() counts as identical
        String[] spaced = tenTimes("yes");
        spaced[3] = " yes\t";
        VqaAnnotations gt2 = annotations(annotation(2000, "is this", "yes/no", spaced));
        assertEquals(0.0, VqaEvaluator.evaluate(gt2, results(2000, "Yes")).overall());
        // one differing answer switches normalisation on for all
        String[] mixed = tenTimes("yes");
        mixed[9] = "Yes";
        VqaAnnotations gt3 = annotations(annotation(3000, "is this", "yes/no", mixed));
        assertEquals(100.0, VqaEvaluator.evaluate(gt3, results(3000, "YES!")).overall());
    }

    @Test
    void aggregatesAreMeansInPercentRoundedHalfAwayFromZero() {
        // 16 questions: 13 x 100, 1 x 30, 2 x 0 -> 83.125 exactly, Python 2.7 gives 83.13
        VqaAnnotation[] list = new VqaAnnotation[16];
        Object[] preds = new Object[32];
        for (int i = 0; i < 16; i++) {
            String[] one = {"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "x"};
            list[i] = annotation(1000L * (i + 1), "what is the name", "other", i < 13 ? tenTimes("x") : one);
            preds[2 * i] = 1000L * (i + 1);
            preds[2 * i + 1] = i < 14 ? "x" : "nothing";
        }
        VqaAccuracy acc = VqaEvaluator.evaluate(annotations(list), results(preds));
        assertEquals(83.13, acc.perQuestionType().get("what is the name"));
        assertEquals(83.13, acc.perAnswerType().get("other"));
        assertEquals(83.13, acc.overall());
        assertTrue(acc.toJson().contains("\"overall\": 83.13"), acc.toJson());
    }

    @Test
    void identicalAnswerEntriesLeaveTogetherAsTheOfficialDictComparisonDoes() throws Exception {
        // answers 1 and 2 are the same dict (same text, confidence and id): each leaves both out
        String json = "{\"annotations\": [{\"question_id\": 1, \"image_id\": 1, \"question_type\": \"what\","
                + " \"answer_type\": \"other\", \"answers\": ["
                + "{\"answer\": \"x\", \"answer_confidence\": \"yes\", \"answer_id\": 1},"
                + "{\"answer\": \"x\", \"answer_confidence\": \"yes\", \"answer_id\": 1},"
                + "{\"answer\": \"x\", \"answer_confidence\": \"yes\", \"answer_id\": 3},"
                + "{\"answer\": \"y\", \"answer_confidence\": \"yes\", \"answer_id\": 4}]}]}";
        VqaAnnotations gt = Fixtures.readAnnotations(json);
        // sets: {x3,y}: 1/3, {x3,y}: 1/3, {x1,x1,y}: 2/3, {x1,x1,x3}: 1 -> 7/3/4 = 0.58333 -> 58.33
        assertEquals(58.33, VqaEvaluator.evaluate(gt, results(1, "x")).overall());
        assertEquals(1, gt.get(0).answers().get(1).answerId());
    }

    @Test
    void resultsMissingUnknownOrRepeatedQuestionsAreAnErrorListingThem() {
        VqaAnnotations gt = annotations(
                annotation(1000, "what", "other", tenTimes("a")),
                annotation(2000, "what", "other", tenTimes("b")),
                annotation(3000, "what", "other", tenTimes("c")));
        IdMismatchException e = assertThrows(
                IdMismatchException.class,
                () -> VqaEvaluator.evaluate(gt, results(1000, "a", 1000, "a", 4000, "d", 5000, "e")));
        assertEquals(List.of(2000L, 3000L), e.missing());
        assertEquals(List.of(4000L, 5000L), e.unknown());
        assertEquals(List.of(1000L), e.duplicates());
        assertEquals(2, e.missingCount());
        assertTrue(e.getMessage().contains("2 questions without a prediction (2000, 3000)"), e.getMessage());
        assertTrue(e.getMessage().contains("2 predictions for unknown questions (4000, 5000)"), e.getMessage());
        assertTrue(e.getMessage().contains("1 repeated question ids (1000)"), e.getMessage());
    }

    @Test
    void longListsOfMissingIdsShowTheFirstTenAndTheCount() {
        VqaAnnotation[] many = new VqaAnnotation[25];
        for (int i = 0; i < many.length; i++) {
            many[i] = annotation(1000L * (i + 1), "what", "other", tenTimes("a"));
        }
        IdMismatchException e =
                assertThrows(IdMismatchException.class, () -> VqaEvaluator.evaluate(annotations(many), results()));
        assertEquals(25, e.missingCount());
        assertEquals(IdMismatchException.SHOWN, e.missing().size());
        assertTrue(e.getMessage().contains("25 questions without a prediction (first 10: 1000, 2000"), e.getMessage());
    }

    @Test
    void aSubsetIsEvaluatedAloneAndItsResultsMustMatchIt() {
        VqaAnnotations gt = annotations(
                annotation(1000, "what", "other", tenTimes("a")),
                annotation(2000, "what", "other", tenTimes("b")),
                annotation(3000, "how many", "number", tenTimes("2")));
        VqaAccuracy acc = VqaEvaluator.evaluate(gt, results(3000, "2", 1000, "z"), new long[] {1000, 3000});
        assertEquals(50.0, acc.overall());
        assertEquals(2, acc.questionCount());
        assertThrows(
                IdMismatchException.class,
                () -> VqaEvaluator.evaluate(gt, results(1000, "a", 2000, "b"), new long[] {1000}));
        assertThrows(IllegalArgumentException.class, () -> VqaEvaluator.evaluate(gt, results(), new long[] {9}));
    }

    @Test
    void questionsAndAnnotationsMustCorrespond() {
        VqaAnnotations gt = annotations(annotation(1000, "what", "other", tenTimes("a")));
        VqaQuestions qs = VqaQuestions.of(
                VqaHeader.of("val2014", "t"),
                List.of(new VqaQuestion(1, "What?", 1000), new VqaQuestion(2, "Who?", 2000)));
        IdMismatchException e =
                assertThrows(IdMismatchException.class, () -> VqaEvaluator.evaluate(qs, gt, results(1000, "a")));
        assertEquals(List.of(2000L), e.missing());
        assertTrue(e.getMessage().contains("questions without an annotation (2000)"), e.getMessage());
    }

    @Test
    void singleQuestionAccuracy() {
        assertEquals(1.0, VqaEvaluator.accuracy(List.of(tenTimes("red")), "red"));
        assertEquals(0.0, VqaEvaluator.accuracy(List.of(tenTimes("red")), "Red"));
        assertEquals(
                0.3, VqaEvaluator.accuracy(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "Red"), "red"), 1e-12);
    }

    @Test
    void perQuestionJsonIsTheOfficialEvalQaLayout() throws Exception {
        VqaAnnotations gt = annotations(
                annotation(2000, "what", "other", tenTimes("b")), annotation(1000, "what", "other", tenTimes("a")));
        VqaAccuracy acc = VqaEvaluator.evaluate(gt, results(1000, "a", 2000, "x"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        acc.writePerQuestionJson(out);
        assertEquals(
                "{\n  \"1000\": 100.0,\n  \"2000\": 0.0\n}\n", out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
