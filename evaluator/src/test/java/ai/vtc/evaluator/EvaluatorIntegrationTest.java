package ai.vtc.evaluator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.Topics;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import ai.vtc.evaluator.persistence.EvaluationStatus;
import ai.vtc.stack.testing.StackTestResource;
import ai.vtc.storage.Keys;
import ai.vtc.vqa.VqaResults;
import ai.vtc.vqa.cli.VqaCommand;
import ai.vtc.vqa.synth.SyntheticVqa;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The evaluator on the real broker, S3 server and PostgreSQL, with a synthetic VQAv2-format subset. */
@QuarkusTest
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "evaluator"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluatorIntegrationTest {
    private EvaluationFixture f;

    @BeforeAll
    void start() throws Exception {
        f = new EvaluationFixture();
    }

    @AfterAll
    void close() {
        f.close();
    }

    @Test
    void evaluatesLikeTheVqaCommandStoresOncePublishesAndExposesMetrics() throws Exception {
        String trial = "trial-good-" + UUID.randomUUID().toString().substring(0, 8);
        Path results = f.dir.resolve(trial + ".json");
        SyntheticVqa.predictions(f.subsetAnnotations, 5, 0.6).write(results);
        f.store.putFile(Keys.predictions(trial), results);

        f.publish(f.ready(trial, new Compression("avg_pool", 4, 2, true), 5));
        EvaluationEvent event = f.awaitEvaluation(trial);
        EvaluationEvent.Completed completed = assertInstanceOf(EvaluationEvent.Completed.class, event);

        var expected = Json.mapper().readTree(vqaEvaluate(f.dir.resolve("subset-annotations.json"), results));
        assertEquals(expected.get("overall").asDouble(), completed.overall());
        assertEquals(
                expected.get("perAnswerType").get("yes/no").asDouble(),
                completed.perAnswerType().get("yes/no"));
        assertEquals(f.subset.ids("val").size(), completed.questions());
        EvaluationEntity stored = QuarkusTransaction.requiringNew().call(() -> EvaluationEntity.findById(trial));
        assertEquals(completed.overall(), stored.overall);
        assertEquals(EvaluationStatus.COMPLETED, stored.status);
        assertEquals(
                "completed",
                QuarkusTransaction.requiringNew()
                        .call(() -> Panache.getEntityManager()
                                .createNativeQuery("select status from evaluation where trialId = ?1", String.class)
                                .setParameter(1, trial)
                                .getSingleResult()),
                "stored with the spelling the column always had");
        assertEquals(
                Json.mapper().readTree(expected.get("perQuestionType").toString()),
                Json.mapper().readTree(stored.perQuestionType));

        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("vqa_accuracy{answer_type=\"all\",dominant=\"-\",factor=\"4\",image_size=\"-\","
                        + "keep=\"-\",mode=\"avg_pool\",seed=\"5\",sorted=\"true\",stage=\"2\",sweep=\""
                        + EvaluationFixture.SWEEP + "\",training=\"fine_tune\"} " + completed.overall()))
                .body(containsString("vqa_evaluations_total{outcome=\"completed\"}"));

        // A duplicate PredictionsReady: the stored result is announced again, nothing is stored twice.
        f.publish(f.ready(trial, new Compression("avg_pool", 4, 2, true), 5));
        EvaluationEvent again = f.awaitEvaluation(trial);
        assertEquals(completed.overall(), ((EvaluationEvent.Completed) again).overall());
        long rows = QuarkusTransaction.requiringNew().call(() -> EvaluationEntity.count("trialId", trial));
        assertEquals(1, rows);
    }

    @Test
    void baselineDeltaLeaderboardCsvAndPareto() throws Exception {
        String sweep = f.evaluateSweep();
        given().get("/sweeps/" + sweep + "/leaderboard")
                .then()
                .statusCode(200)
                .body("$", hasSize(3))
                .body("[0].mode", org.hamcrest.Matchers.equalTo("none"))
                .body("[2].delta", org.hamcrest.Matchers.lessThan(0f));
        given().get("/sweeps/" + sweep + "/results.csv")
                .then()
                .statusCode(200)
                .body(containsString("trial_id,sweep_id,status,mode"))
                .body(containsString(sweep + "-t1," + sweep + ",completed,avg_pool,2,0,false,0,9,"));
        // Fewer tokens cost accuracy here, so every trial is on the front.
        given().get("/sweeps/" + sweep + "/pareto")
                .then()
                .statusCode(200)
                .body("visual_tokens", org.hamcrest.Matchers.contains(3, 9, 17));
        given().get("/q/metrics")
                .then()
                .body(containsString("vqa_accuracy_delta{answer_type=\"all\",dominant=\"-\",factor=\"2\","
                        + "image_size=\"-\",keep=\"-\",mode=\"avg_pool\""))
                .body(containsString("vqa_accuracy_delta_lower{answer_type=\"all\",dominant=\"-\",factor=\"2\","));
    }

    @Test
    void predictionsThatDoNotMatchTheSubsetFailWithTheReasonAndTheConsumerGoesOn() throws Exception {
        // Missing questions: drop the first five predictions.
        String missing = "trial-missing-" + UUID.randomUUID().toString().substring(0, 8);
        VqaResults full = SyntheticVqa.predictions(f.subsetAnnotations, 1, 1.0);
        VqaResults partial = VqaResults.of(full.asList().subList(5, full.size()));
        Path partialFile = f.dir.resolve(missing + ".json");
        partial.write(partialFile);
        f.store.putFile(Keys.predictions(missing), partialFile);
        f.publish(f.ready(missing, Compression.none(), 0));
        EvaluationEvent.Failed failed = assertInstanceOf(EvaluationEvent.Failed.class, f.awaitEvaluation(missing));
        assertTrue(failed.reason().contains("5 questions without a prediction"), failed.reason());
        assertTrue(failed.reason().contains(Long.toString(full.questionId(0))), failed.reason());

        // Malformed JSON.
        String malformed = "trial-malformed-" + UUID.randomUUID().toString().substring(0, 8);
        f.store.put(
                Keys.predictions(malformed),
                "[{\"question_id\": 1, \"answer\": ".getBytes(StandardCharsets.UTF_8),
                "application/json");
        f.publish(f.ready(malformed, Compression.none(), 0));
        EvaluationEvent.Failed bad = assertInstanceOf(EvaluationEvent.Failed.class, f.awaitEvaluation(malformed));
        assertTrue(bad.reason().contains(f.store.uri(Keys.predictions(malformed))), bad.reason());
        given().get("/evaluations/" + malformed)
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("failed"));

        // An unreadable record goes to the DLQ with its reason, and the next record is still evaluated.
        f.producer
                .send(new ProducerRecord<>(Topics.PREDICTIONS, "garbage", "{not json"))
                .get();
        ConsumerRecord<String, String> dead =
                EvaluationFixture.await(f.deadLetters, r -> "{not json".equals(r.value()));
        assertTrue(
                new String(dead.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8)
                        .contains("PredictionsReady"));
        assertEquals(
                Topics.PREDICTIONS,
                new String(dead.headers().lastHeader(Topics.DLQ_TOPIC_HEADER).value(), StandardCharsets.UTF_8));
        String after = "trial-after-" + UUID.randomUUID().toString().substring(0, 8);
        Path ok = f.dir.resolve(after + ".json");
        full.write(ok);
        f.store.putFile(Keys.predictions(after), ok);
        f.publish(f.ready(after, Compression.none(), 0));
        assertInstanceOf(EvaluationEvent.Completed.class, f.awaitEvaluation(after));
    }

    /** {@code vqa evaluate} on the same files, its standard output. */
    private static String vqaEvaluate(Path annotations, Path results) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(
                    0,
                    VqaCommand.run(
                            "evaluate", "--annotations", annotations.toString(), "--results", results.toString()));
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
