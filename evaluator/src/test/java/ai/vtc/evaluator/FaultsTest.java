package ai.vtc.evaluator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.MetricNames;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import ai.vtc.stack.Stack;
import ai.vtc.stack.testing.StackTestResource;
import ai.vtc.stack.testing.TestStack;
import ai.vtc.storage.Keys;
import ai.vtc.vqa.synth.SyntheticVqa;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real faults on the real servers: PostgreSQL and then the S3 server stopped for 10 s each while predictions
 * arrive, every record twice. Every trial ends with exactly one completed evaluation (a fault is never a verdict),
 * nothing goes to the DLQ, the channel keeps consuming; the numbers are printed. And an operator has a failed
 * evaluation made again.
 */
@QuarkusTest
@TestProfile(FaultsProfile.class)
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "evaluator"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultsTest {
    private static final Duration OUTAGE = Duration.ofSeconds(10);

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
    void databaseAndStorageOutagesAreWaitedOutWithOneEvaluationPerTrial() throws Exception {
        Stack stack = TestStack.get();
        double retriedBefore = retried();
        List<String> trials = new ArrayList<>();
        int duplicates = 0;
        for (String server : List.of("postgres", "s3")) {
            List<PredictionsReady> batch = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String trial =
                        "trial-" + server + "-" + UUID.randomUUID().toString().substring(0, 8);
                PredictionsReady ready = f.ready(trial, new Compression("avg_pool", 2 + i, 0, false), i);
                f.store.putFile(Keys.predictions(trial), write(trial, i));
                batch.add(ready);
                trials.add(trial);
            }
            stack.stopServer(server);
            long stopped = System.nanoTime();
            for (PredictionsReady ready : batch) {
                f.publish(ready);
                f.publish(ready); // a duplicate, handled at the same time before
                duplicates++;
            }
            awaitHealth(503);
            Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - stopped) / 1_000_000));
            stack.startServer(server);
            for (PredictionsReady ready : batch) {
                assertInstanceOf(EvaluationEvent.Completed.class, f.awaitEvaluation(ready.trialId()), ready.trialId());
            }
            awaitHealth(200);
        }
        for (String trial : trials) {
            assertEquals(
                    List.of("completed"),
                    QuarkusTransaction.requiringNew()
                            .call(() -> Panache.getEntityManager()
                                    .createNativeQuery("select status from evaluation where trialId = ?1", String.class)
                                    .setParameter(1, trial)
                                    .getResultList()),
                    trial);
        }
        Set<String> keys = Set.copyOf(trials);
        int deadLetters = 0;
        long settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < settle) {
            for (ConsumerRecord<String, String> r : f.deadLetters.poll(Duration.ofMillis(200))) {
                deadLetters += r.key() != null && keys.contains(r.key()) ? 1 : 0;
            }
        }
        double retriedTries = retried() - retriedBefore;
        System.out.printf(
                "evaluator outages: faults injected 2 (PostgreSQL, then S3, stopped for %d s each), tries retried"
                        + " %.0f, trials evaluated %d (one stored evaluation each), duplicate records %d, failed"
                        + " evaluations 0, dead letters %d%n",
                OUTAGE.toSeconds(), retriedTries, trials.size(), duplicates, deadLetters);
        assertEquals(0, deadLetters);
        assertTrue(retriedTries > 0, "the evaluations were tried while the servers were away");
    }

    @Test
    void anOperatorHasAFailedEvaluationMadeAgain() throws Exception {
        String trial = "trial-again-" + UUID.randomUUID().toString().substring(0, 8);
        f.publish(f.ready(trial, new Compression("avg_pool", 4, 0, false), 1)); // its predictions are not there
        EvaluationEvent.Failed failed = assertInstanceOf(EvaluationEvent.Failed.class, f.awaitEvaluation(trial));
        assertTrue(failed.reason().contains("cannot read the predictions"), failed.reason());

        f.store.putFile(Keys.predictions(trial), write(trial, 1));
        given().post("/evaluations/" + trial + "/reevaluate")
                .then()
                .statusCode(200)
                .body("trial_id", equalTo(trial))
                .body("overall", notNullValue());
        assertInstanceOf(EvaluationEvent.Completed.class, f.awaitEvaluation(trial));
        given().post("/evaluations/" + trial + "/reevaluate")
                .then()
                .statusCode(409)
                .body(containsString("never change"));
        given().post("/evaluations/no-such-trial/reevaluate").then().statusCode(404);
        EvaluationEntity stored = QuarkusTransaction.requiringNew().call(() -> EvaluationEntity.findById(trial));
        assertTrue(stored.isCompleted());
    }

    private java.nio.file.Path write(String trial, long draw) throws Exception {
        java.nio.file.Path file = f.dir.resolve(trial + ".json");
        SyntheticVqa.predictions(f.subsetAnnotations, draw, 0.6).write(file);
        return file;
    }

    private static void awaitHealth(int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = given().get("/q/health/live").statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("/q/health/live answered " + last + ", not " + status);
    }

    /** The evaluator's {@code events_retried_total}, all channels. */
    private static double retried() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile(
                        "^" + MetricNames.EVENTS_RETRIED.replace('.', '_') + "_total\\{[^}]*} (\\S+)$",
                        Pattern.MULTILINE)
                .matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
