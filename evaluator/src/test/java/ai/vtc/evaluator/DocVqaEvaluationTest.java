package ai.vtc.evaluator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.DatasetRef;
import ai.vtc.contracts.DatasetTask;
import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.ModelFacts;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.SubsetManifest;
import ai.vtc.contracts.Training;
import ai.vtc.stack.testing.StackTestResource;
import ai.vtc.storage.Keys;
import ai.vtc.vqa.AnlsEvaluator;
import ai.vtc.vqa.VqaAccuracy;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaResults;
import ai.vtc.vqa.docvqa.DocVqaConversion;
import ai.vtc.vqa.docvqa.DocVqaFile;
import ai.vtc.vqa.synth.SyntheticDocVqa;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A DocVQA dataset is scored with ANLS (x 100), chosen by the task the trial names or, when it names none, by the
 * dataset's manifest, and published like VQA accuracy: event, REST, CSV, {@code /q/metrics} and the paired comparison.
 */
@QuarkusTest
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "evaluator"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocVqaEvaluationTest {
    private static final String DATASET = "docs-eval";

    private EvaluationFixture f;
    private VqaAnnotations annotations;
    private SubsetManifest subset;

    @BeforeAll
    void start() throws Exception {
        f = new EvaluationFixture();
        SyntheticDocVqa.Generated g = SyntheticDocVqa.generate(
                f.dir.resolve("docs"),
                SyntheticDocVqa.Options.defaults()
                        .withSeed(3)
                        .withDocuments(4, 10)
                        .withRenderImages(false));
        DocVqaConversion.Converted val = DocVqaConversion.toVqa(
                DocVqaFile.read(g.split("val").annotationsFile()), "val", "synthetic DocVQA for the evaluator");
        Path questions = f.dir.resolve("docs-questions.json");
        Path annotationsFile = f.dir.resolve("docs-annotations.json");
        val.questions().write(questions);
        val.annotations().write(annotationsFile);
        annotations = val.annotations();
        f.store.putFile(Keys.questions(DATASET, "val"), questions);
        f.store.putFile(Keys.annotations(DATASET, "val"), annotationsFile);
        subset = new SubsetManifest(
                        DATASET,
                        "all",
                        0,
                        1.0,
                        Map.of(
                                "val",
                                Arrays.stream(annotations.questionIds())
                                        .sorted()
                                        .boxed()
                                        .toList()),
                        null)
                .seal();
        f.store.put(Keys.subset(DATASET, "all"), subset.toJson().getBytes(StandardCharsets.UTF_8), "application/json");
        DatasetManifest manifest = new DatasetManifest(
                DATASET,
                Map.of("val", new DatasetManifest.Split(annotations.size(), 10, "doc_", "png")),
                "synthetic DocVQA",
                Instant.now(),
                DatasetTask.DOCVQA);
        f.store.put(
                Keys.datasetManifest(DATASET),
                Json.write(manifest).getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    @AfterAll
    void close() {
        f.close();
    }

    @Test
    void aDocVqaTrialIsScoredWithAnlsAndComparedWithItsReference() throws Exception {
        String sweep = "sweep-docvqa-" + UUID.randomUUID().toString().substring(0, 8);
        Compression pooled = new Compression("avg_pool", 2, 0, false);
        // the reference names its task, the pooled trial leaves it to the dataset's manifest
        PredictionsReady reference = ready(sweep, sweep + "-none", Compression.none(), DatasetTask.DOCVQA);
        PredictionsReady compressed = ready(sweep, sweep + "-avg2", pooled, null);
        VqaResults perfect = answers(0);
        VqaResults sloppy = answers(3);
        f.publish(reference, perfect);
        EvaluationEvent.Completed ref = completed(reference.trialId());
        assertEquals("anls", ref.metric());
        assertEquals(100.0, ref.overall());

        f.publish(compressed, sloppy);
        EvaluationEvent.Completed c = (EvaluationEvent.Completed)
                f.awaitEvaluation(compressed.trialId(), e -> ((EvaluationEvent.Completed) e).comparison() != null);
        VqaAccuracy expected = AnlsEvaluator.evaluate(annotations, sloppy).anlsPercent();
        assertEquals("anls", c.metric());
        assertEquals(expected.overall(), c.overall());
        assertTrue(c.overall() > 0 && c.overall() < 100, c.toString());
        assertTrue(c.accuracyLower() <= c.overall() && c.overall() <= c.accuracyUpper(), c.toString());
        assertNotNull(c.comparison());
        assertEquals(reference.trialId(), c.comparison().referenceTrialId());
        assertTrue(c.comparison().difference() < 0, c.toString());

        JsonPath row = given().get("/evaluations/" + compressed.trialId()).jsonPath();
        assertEquals("anls", row.getString("metric"));
        assertEquals((float) c.overall(), row.getFloat("overall"));
        given().get("/sweeps/" + sweep + "/results.csv")
                .then()
                .statusCode(200)
                .body(containsString(",on_front_latency,metric\n"))
                .body(containsString(",anls\n"));
        given().get("/q/metrics")
                .then()
                .body(containsString("vqa_anls{answer_type=\"all\",dominant=\"-\",factor=\"2\",image_size=\"-\","
                        + "keep=\"-\",mode=\"avg_pool\",seed=\"0\",sorted=\"false\",stage=\"0\",sweep=\"" + sweep
                        + "\",training=\"fine_tune\"} " + c.overall()))
                .body(containsString("vqa_anls_delta{answer_type=\"all\""))
                .body(containsString("vqa_anls_lower{answer_type=\"all\""));
    }

    /** Every question answered with its first answer, every {@code spoilEvery}-th (from the first) with two typos. */
    private VqaResults answers(int spoilEvery) {
        VqaResults.Builder b = VqaResults.builder();
        for (int i = 0; i < annotations.size(); i++) {
            String answer = annotations.multipleChoiceAnswer(i);
            b.add(annotations.questionId(i), spoilEvery > 0 && i % spoilEvery == 0 ? answer + "zz" : answer);
        }
        return b.build();
    }

    private PredictionsReady ready(String sweep, String trial, Compression compression, DatasetTask task) {
        return new PredictionsReady(
                sweep,
                trial,
                f.store.uri(Keys.predictions(trial)),
                new DatasetRef(DATASET, "all", "val", subset.sha256(), null, null, task),
                "val",
                compression,
                new ModelFacts(3, 4, 4).visualTokens(compression),
                0,
                Training.FINE_TUNE,
                EvaluationFixture.TRAIN_SETTINGS,
                null);
    }

    private EvaluationEvent.Completed completed(String trial) {
        EvaluationEvent e = f.awaitEvaluation(trial);
        assertTrue(e instanceof EvaluationEvent.Completed, e.toString());
        return (EvaluationEvent.Completed) e;
    }
}
