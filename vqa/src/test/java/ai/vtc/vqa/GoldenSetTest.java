package ai.vtc.vqa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official code's accuracies on the golden set, reproduced exactly. */
class GoldenSetTest {
    static VqaQuestions questions;
    static VqaAnnotations annotations;
    static VqaResults results;
    static JsonNode expected;

    @BeforeAll
    static void load() throws IOException {
        questions = VqaQuestions.read(Golden.open("questions.json"), "questions.json");
        annotations = VqaAnnotations.read(Golden.open("annotations.json"), "annotations.json");
        results = VqaResults.read(Golden.open("results.json"), "results.json");
        try (InputStream in = Golden.open("expected.json")) {
            expected = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void readsTheFiles() {
        assertEquals(600, questions.size());
        assertEquals(600, annotations.size());
        assertEquals(600, results.size());
        assertEquals("val2014", questions.header().dataSubtype());
        assertEquals("Open-Ended", questions.header().taskType());
        assertEquals(10, annotations.answerCount(0));
    }

    @Test
    void overallAndPerAnswerType() {
        VqaAccuracy acc = VqaEvaluator.evaluate(questions, annotations, results);
        assertEquals(expected.get("overall").doubleValue(), acc.overall());
        assertEquals(69.4, acc.overall());
        assertMapEquals(expected.get("perAnswerType"), acc.perAnswerType());
    }

    @Test
    void perQuestionTypeIncludingThePython27Tie() {
        VqaAccuracy acc = VqaEvaluator.evaluate(questions, annotations, results);
        assertEquals(65, acc.perQuestionType().size());
        assertMapEquals(expected.get("perQuestionType"), acc.perQuestionType());
        assertEquals(83.13, acc.perQuestionType().get("what is the name"));
    }

    @Test
    void perQuestion() {
        VqaAccuracy acc = VqaEvaluator.evaluate(annotations, results);
        JsonNode evalQA = expected.get("evalQA");
        assertEquals(evalQA.size(), acc.questionCount());
        Map<Long, Double> perQuestion = acc.perQuestion();
        for (Iterator<Map.Entry<String, JsonNode>> it = evalQA.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertEquals(
                    e.getValue().doubleValue(), perQuestion.get(Long.parseLong(e.getKey())), "question " + e.getKey());
        }
    }

    @Test
    void singleQuestionAccuracyAgreesWithTheEvaluator() {
        VqaAccuracy acc = VqaEvaluator.evaluate(annotations, results);
        Map<Long, Double> perQuestion = acc.perQuestion();
        for (int r = 0; r < results.size(); r++) {
            int i = annotations.indexOf(results.questionId(r));
            VqaAnnotation a = annotations.get(i);
            double single = VqaEvaluator.accuracy(
                    a.answers().stream().map(VqaAnswer::answer).toList(), results.answer(r));
            assertEquals(
                    perQuestion.get(a.questionId()), Math.round(single * 10000) / 100.0, "question " + a.questionId());
        }
    }

    private static void assertMapEquals(JsonNode expected, Map<String, Double> actual) {
        assertEquals(expected.size(), actual.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertEquals(e.getValue().doubleValue(), actual.get(e.getKey()), e.getKey());
        }
    }
}
