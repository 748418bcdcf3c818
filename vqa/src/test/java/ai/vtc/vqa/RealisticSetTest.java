package ai.vtc.vqa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.vqa.bench.RealisticVqaText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second golden set: VQAv2-like text with a long tail of answers, scored by the untouched official code. */
class RealisticSetTest {
    @TempDir
    Path dir;

    @Test
    void theOfficialAccuraciesAreReproducedOnEveryQuestion() throws IOException {
        RealisticVqaText.Files files = RealisticVqaText.write(dir, 5000, 42);
        VqaAccuracy acc = VqaEvaluator.evaluate(
                VqaQuestions.read(files.questions()),
                VqaAnnotations.read(files.annotations()),
                VqaResults.read(files.results()));
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/realistic-official/expected-5000-seed42.json")) {
            expected = new ObjectMapper().readTree(in);
        }
        assertEquals(expected.get("overall").doubleValue(), acc.overall());
        assertEquals(expected.get("perAnswerType").size(), acc.perAnswerType().size());
        expected.get("perAnswerType")
                .fields()
                .forEachRemaining(e -> assertEquals(
                        e.getValue().doubleValue(), acc.perAnswerType().get(e.getKey())));
        assertEquals(
                expected.get("perQuestionType").size(), acc.perQuestionType().size());
        expected.get("perQuestionType")
                .fields()
                .forEachRemaining(e -> assertEquals(
                        e.getValue().doubleValue(), acc.perQuestionType().get(e.getKey()), e.getKey()));
        Map<Long, Double> perQuestion = acc.perQuestion();
        assertEquals(expected.get("evalQA").size(), perQuestion.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("evalQA").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertEquals(e.getValue().doubleValue(), perQuestion.get(Long.parseLong(e.getKey())), e.getKey());
        }
    }
}
