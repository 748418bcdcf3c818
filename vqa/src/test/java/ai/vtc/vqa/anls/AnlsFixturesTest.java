package ai.vtc.vqa.anls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.vqa.AnlsEvaluator;
import ai.vtc.vqa.AnlsScores;
import ai.vtc.vqa.VqaResults;
import ai.vtc.vqa.docvqa.DocVqaConversion;
import ai.vtc.vqa.docvqa.DocVqaFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The golden fixtures of {@code docvqa-anls/} (see its README): every value computed by the official DocVQA script
 * and by florence2-finetuning's {@code metrics.py}, compared as exact doubles.
 */
class AnlsFixturesTest {
    static Path fixture(String name) throws Exception {
        return Path.of(
                AnlsFixturesTest.class.getResource("/docvqa-anls/" + name).toURI());
    }

    static JsonNode expected() throws Exception {
        return new ObjectMapper().readTree(fixture("expected.json").toFile());
    }

    @Test
    void everyQuestionScoresExactlyAsTheOriginals() throws Exception {
        for (JsonNode q : expected().get("per_question")) {
            List<String> answers = new ArrayList<>();
            q.get("answers").forEach(a -> answers.add(a.textValue()));
            String prediction = q.get("prediction").textValue();
            String what = q.get("questionId") + " (" + q.get("note").textValue() + ")";
            assertEquals(q.get("anls").doubleValue(), Anls.score(answers, prediction), "anls of " + what);
            assertEquals(
                    q.get("levenshtein_similarity").doubleValue(),
                    LevenshteinSimilarity.score(answers, prediction),
                    "levenshtein_similarity of " + what);
        }
    }

    @Test
    void theEditDistancesAndDenominatorsAreTheOfficialScriptsOnes() throws Exception {
        for (JsonNode q : expected().get("per_question")) {
            for (JsonNode d : q.get("anls_details")) {
                String gt = d.get("gt_normalized").textValue();
                String det = d.get("pred_normalized").textValue();
                assertEquals(gt, Anls.normalize(gt), "normalisation is idempotent on " + gt);
                assertEquals(d.get("distance").intValue(), Levenshtein.distance(gt, det), gt + " / " + det);
            }
        }
    }

    @Test
    void theWholeFileAveragesToTheFixtureValues() throws Exception {
        AnlsScores scores = AnlsEvaluator.evaluate(
                DocVqaConversion.toVqa(DocVqaFile.read(fixture("questions.json")), "val", "fixtures")
                        .annotations(),
                VqaResults.read(fixture("predictions.json")));
        JsonNode expected = expected();
        assertEquals(expected.get("anls").doubleValue(), scores.anls());
        assertEquals(expected.get("levenshtein_similarity").doubleValue(), scores.levenshteinSimilarity());
        assertEquals(0.6610598465861625, scores.anls());
        assertEquals(0.5174911236424394, scores.levenshteinSimilarity());
        JsonNode perQuestion = expected.get("per_question");
        for (int i = 0; i < perQuestion.size(); i++) {
            assertEquals(perQuestion.get(i).get("questionId").longValue(), scores.questionIds()[i]);
            assertEquals(perQuestion.get(i).get("anls").doubleValue(), scores.anlsPerQuestion()[i]);
            assertEquals(
                    perQuestion.get(i).get("levenshtein_similarity").doubleValue(), scores.levenshteinPerQuestion()[i]);
        }
    }
}
