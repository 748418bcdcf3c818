package ai.vtc.scheduler;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.MetricNames;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.stack.Stack;
import ai.vtc.stack.testing.TestStack;
import ai.vtc.storage.ObjectStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real faults on the real servers: PostgreSQL stopped for 10 s while the workers' and the evaluator's events arrive,
 * and the Kafka broker stopped while the relay sends and a sweep is cancelled. Each ends with every event applied
 * exactly once and nothing dead-lettered; the numbers are printed.
 */
@QuarkusTest
@TestProfile(FaultsProfile.class)
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class FaultsTest {
    private static final int TRIALS = 12;
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @Inject
    ObjectStore store;

    private final EventSender sender = new EventSender();

    @AfterEach
    void close() {
        sender.close();
    }

    @Test
    void aDatabaseRestartWhileEventsArriveLosesNothing() throws Exception {
        JsonPath submitted = Fixtures.submit(Fixtures.smallSweep(store, TRIALS, null));
        String sweep = submitted.getString("id");
        List<String> ids = submitted.getList("trials.id");
        double retriedBefore = retried();
        Stack stack = TestStack.get();

        stack.stopServer("postgres");
        long stopped = System.nanoTime();
        Instant t = Instant.now();
        for (String id : ids) {
            sender.send(Topics.TRIAL_EVENTS, id, new TrialEvent.Started(id, 1, t, "worker-a", "cpu", 0));
            sender.send(
                    Topics.TRIAL_EVENTS,
                    id,
                    new TrialEvent.Completed(id, 1, t.plusSeconds(1), "s3://vtc/predictions/" + id, 0.5, 4, 1));
            sender.send(
                    Topics.EVALUATIONS,
                    id,
                    new EvaluationEvent.Completed(id, sweep, t.plusSeconds(2), 50.0, Map.of(), Map.of(), 10));
        }
        Eventually.assertThat(
                OUTAGE,
                () -> given().get("/q/health/live")
                        .then()
                        .statusCode(503)
                        .body(
                                "checks.find { it.name == 'event consumers' }.status",
                                org.hamcrest.Matchers.equalTo("DOWN")));
        Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - stopped) / 1_000_000));
        stack.startServer("postgres");

        Eventually.assertThat(Duration.ofSeconds(60), () -> {
            for (String id : ids) {
                JsonPath trial = Fixtures.trial(id);
                assertEquals("completed", trial.getString("status"), id);
                assertEquals(50.0f, trial.getFloat("accuracy"), id);
            }
        });
        Eventually.assertThat(() -> given().get("/q/health/live").then().statusCode(200));
        int duplicates = 0;
        for (String id : ids) {
            // each event once; the two topics are not ordered with each other, so a start may come after the verdict
            List<String> types =
                    TrialEventsTest.stored("select type from trial_event where trial_id = ?1 order by type", id);
            assertEquals(List.of("completed", "evaluation_completed", "started"), types, id);
            duplicates += TrialEventsTest.stored(
                            "select type from trial_event where trial_id = ?1 and outcome = 'duplicate'", id)
                    .size();
        }
        int deadLetters;
        try (TopicReader dlq = new TopicReader(Topics.TRIALS_DLQ)) {
            deadLetters =
                    dlq.recordsFor(ids, 1, Duration.ofSeconds(2), Duration.ZERO).size();
        }
        double retriedEvents = retried() - retriedBefore;
        System.out.printf(
                "database outage: faults injected 1 (PostgreSQL stopped for %d s), events retried %.0f, trials"
                        + " completed %d, evaluations applied %d, duplicates %d, dead letters %d%n",
                OUTAGE.toSeconds(), retriedEvents, ids.size(), ids.size(), duplicates, deadLetters);
        assertEquals(0, deadLetters, "a database that is away is no reason to dead-letter an event");
        assertEquals(0, duplicates);
        assertTrue(retriedEvents > 0, "the events were tried while the database was away");
    }

    @Test
    void aBrokerRestartWhileTheRelaySendsNeitherBlocksCancelNorLosesARequest() {
        Stack stack = TestStack.get();
        stack.stopServer("kafka");
        try {
            JsonPath submitted = Fixtures.submit(Fixtures.smallSweep(store, 5, null));
            String sweep = submitted.getString("id");
            long t0 = System.nanoTime();
            JsonPath cancelled = Fixtures.post("/sweeps/" + sweep + "/cancel");
            long cancelMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(5, cancelled.getInt("cancelled"));
            assertTrue(cancelMillis < 3000, "cancel waited " + cancelMillis + " ms for the relay");
            System.out.printf(
                    "broker outage: faults injected 1 (Kafka stopped), cancel answered in %d ms%n", cancelMillis);
        } finally {
            stack.startServer("kafka");
        }
    }

    /**
     * After the broker is back every request the relay had claimed is on {@code trials}, with a cancel on
     * {@code trial-control} for each (a request that may be on the topic is not withdrawn), and the outbox is empty.
     */
    @Test
    void requestsClaimedWhileTheBrokerWasAwayAreSentOnceItIsBack() {
        Stack stack = TestStack.get();
        JsonPath submitted;
        stack.stopServer("kafka");
        try {
            submitted = Fixtures.submit(Fixtures.smallSweep(store, 3, null));
        } finally {
            stack.startServer("kafka");
        }
        List<String> ids = submitted.getList("trials.id");
        Eventually.assertThat(Duration.ofSeconds(60), () -> {
            for (String id : ids) {
                assertEquals(List.of(), TrialEventsTest.stored("select topic from outbox where trial_id = ?1", id));
            }
        });
        try (TopicReader trials = new TopicReader(Topics.TRIALS)) {
            List<ConsumerRecord<String, String>> records =
                    trials.recordsFor(ids, ids.size(), Duration.ofSeconds(30), Duration.ofSeconds(1));
            assertEquals(
                    ids.stream().sorted().toList(),
                    records.stream()
                            .map(ConsumerRecord::key)
                            .distinct()
                            .sorted()
                            .toList());
            System.out.printf(
                    "broker restart: %d requests on trials for %d trials (at least once)%n",
                    records.size(), ids.size());
        }
    }

    /** The scheduler's {@code events_retried_total}, all channels. */
    static double retried() {
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
