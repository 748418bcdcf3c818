package ai.vtc.vqa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.SubsetManifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VqaCommandTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = VqaCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Path golden(String name) throws URISyntaxException {
        return Path.of(
                VqaCommandTest.class.getResource("/vqa-eval-golden/" + name).toURI());
    }

    @Test
    void evaluatePrintsTheGoldenAccuraciesAndWritesEvalQa() throws Exception {
        Path perQuestion = dir.resolve("evalQA.json");
        Run r = run(
                "evaluate",
                "--questions",
                golden("questions.json").toString(),
                "--annotations",
                golden("annotations.json").toString(),
                "--results",
                golden("results.json").toString(),
                "--per-question",
                perQuestion.toString());
        assertEquals(0, r.exitCode(), r.err());
        ObjectMapper json = new ObjectMapper();
        JsonNode expected = json.readTree(golden("expected.json").toFile());
        JsonNode printed = json.readTree(r.out());
        assertEquals(expected.get("overall"), printed.get("overall"));
        assertEquals(expected.get("perAnswerType"), printed.get("perAnswerType"));
        assertEquals(expected.get("perQuestionType"), printed.get("perQuestionType"));
        assertEquals(expected.get("evalQA"), json.readTree(perQuestion.toFile()));
        assertTrue(r.out().contains("\"what is the name\": 83.13"), r.out());
        assertTrue(r.out().contains("\"overall\": 69.4,"), r.out());
    }

    @Test
    void badInputExitsWith1AndSaysWhy() throws Exception {
        Path partial = dir.resolve("partial.json");
        Files.writeString(
                partial, "[{\"question_id\": 298004000, \"answer\": \"x\"}, {\"question_id\": 1, \"answer\": \"y\"}]");
        Run r = run(
                "evaluate", "--annotations", golden("annotations.json").toString(), "--results", partial.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("599 questions without a prediction (first 10: "), r.err());
        assertTrue(r.err().contains("1 predictions for unknown questions (1)"), r.err());

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "[{\"question_id\": 1, \"answer\": }]");
        Run b = run("evaluate", "--annotations", golden("annotations.json").toString(), "--results", broken.toString());
        assertEquals(1, b.exitCode());
        assertTrue(b.err().contains(broken + ": line 1, column 31"), b.err());

        assertEquals(2, run("evaluate", "--results", broken.toString()).exitCode(), "usage error");

        Path absent = dir.resolve("absent.json");
        Run a = run("evaluate", "--annotations", golden("annotations.json").toString(), "--results", absent.toString());
        assertEquals(1, a.exitCode());
        assertEquals("vqa evaluate: no such file or folder: " + absent, a.err().strip());
    }

    @Test
    void synthThenSubsetThenBaseline() throws IOException {
        Path data = dir.resolve("synth");
        Run s = run(
                "synth",
                "--out",
                data.toString(),
                "--train-images",
                "30",
                "--val-images",
                "10",
                "--no-images",
                "--families",
                "COUNT,COLOR",
                "--seed",
                "9");
        assertEquals(0, s.exitCode(), s.err());
        assertTrue(s.out().contains("val: 10 images, 50 questions"), s.out());
        Path val = data.resolve("v2_OpenEnded_mscoco_val2014_questions.json");

        Path subsets = dir.resolve("subsets");
        Run sub = run(
                "subset",
                "--split",
                "val=" + val,
                "--dataset",
                "synth",
                "--sizes",
                "10%,50%",
                "--out",
                subsets.toString());
        assertEquals(0, sub.exitCode(), sub.err());
        SubsetManifest ten = SubsetManifest.read(subsets.resolve("10pct.json"));
        SubsetManifest half = SubsetManifest.read(subsets.resolve("50pct.json"));
        assertEquals(5, ten.questionIds("val").length);
        assertEquals(25, half.questionIds("val").length);

        Run base = run(
                "baseline",
                "--train-annotations",
                data.resolve("v2_mscoco_train2014_annotations.json").toString(),
                "--annotations",
                data.resolve("v2_mscoco_val2014_annotations.json").toString());
        assertEquals(0, base.exitCode(), base.err());
        assertTrue(base.out().contains("\"perQuestionType\""), base.out());
    }

    static Path anlsFixture(String name) throws URISyntaxException {
        return Path.of(VqaCommandTest.class.getResource("/docvqa-anls/" + name).toURI());
    }

    @Test
    void anlsPrintsBothDocumentMetricsOverallAndPerQuestion() throws Exception {
        Run r = run(
                "anls",
                "--annotations",
                anlsFixture("questions.json").toString(),
                "--results",
                anlsFixture("predictions.json").toString());
        assertEquals(0, r.exitCode(), r.err());
        ObjectMapper json = new ObjectMapper();
        JsonNode expected = json.readTree(anlsFixture("expected.json").toFile());
        JsonNode printed = json.readTree(r.out());
        assertEquals(expected.get("anls"), printed.get("anls"));
        assertEquals(expected.get("levenshtein_similarity"), printed.get("levenshtein_similarity"));
        assertEquals(40, printed.get("per_question").size());
        for (int i = 0; i < 40; i++) {
            JsonNode e = expected.get("per_question").get(i);
            JsonNode p = printed.get("per_question").get(i);
            assertEquals(e.get("questionId"), p.get("questionId"));
            assertEquals(e.get("anls"), p.get("anls"));
            assertEquals(e.get("levenshtein_similarity"), p.get("levenshtein_similarity"));
        }
    }

    @Test
    void anlsNamesTheEntryWithoutAnswers() throws Exception {
        Path noAnswers = dir.resolve("no-answers.json");
        Files.writeString(
                noAnswers,
                "{\"data\": [{\"questionId\": 7, \"question\": \"q?\", \"image\": \"documents/a.png\","
                        + " \"answers\": [\"x\"]}, {\"questionId\": 8, \"question\": \"q?\","
                        + " \"image\": \"documents/a.png\"}]}");
        Run r = run(
                "anls",
                "--annotations",
                noAnswers.toString(),
                "--results",
                anlsFixture("predictions.json").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("entry #1 (questionId 8) has no \"answers\""), r.err());
    }
}
