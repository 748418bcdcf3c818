package ai.vtc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialControl;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.scheduler.persistence.OutboxEntity;
import ai.vtc.storage.ObjectStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cancel, retry, automatic retries up to max_attempts_per_trial, and the max_failed_trials stop. */
@QuarkusTest
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class LifecycleTest {
    @Inject
    ObjectStore store;

    private final EventSender sender = new EventSender();

    @AfterEach
    void close() {
        sender.close();
    }

    private void worker(TrialEvent event) {
        sender.send(Topics.TRIAL_EVENTS, event.trialId(), event);
    }

    private static void awaitPublished(List<String> ids) {
        Eventually.assertThat(() -> assertEquals(
                0L, QuarkusTransaction.requiringNew().call(() -> OutboxEntity.count("trialId in ?1", ids))));
    }

    private static void awaitStatus(String trial, String status) {
        Eventually.assertThat(() -> assertEquals(status, Fixtures.trial(trial).getString("status")));
    }

    @Test
    void cancelKeepsQueuedTrialsFromStartingAndStopsRunningOnes() {
        JsonPath submitted = Fixtures.submit(Fixtures.smallSweep(store, 4, null));
        String sweep = submitted.getString("id");
        List<String> ids = submitted.getList("trials.id");
        awaitPublished(ids);
        String running = ids.get(0);
        worker(new TrialEvent.Started(running, 1, Instant.now(), "worker-a", "cpu", 0));
        awaitStatus(running, "running");

        JsonPath cancelled = Fixtures.post("/sweeps/" + sweep + "/cancel");
        assertEquals(3, cancelled.getInt("cancelled"));
        assertEquals(1, cancelled.getInt("cancelling"));
        assertEquals("cancelled", cancelled.getString("status"));
        assertEquals("cancelling", Fixtures.trial(running).getString("status"));
        ids.subList(1, 4)
                .forEach(id -> assertEquals("cancelled", Fixtures.trial(id).getString("status")));

        try (TopicReader control = new TopicReader(Topics.TRIAL_CONTROL)) {
            // the queued trials were already on 'trials': the workers are told to skip them too
            List<ConsumerRecord<String, String>> records =
                    control.recordsFor(ids, 4, Duration.ofSeconds(20), Duration.ofMillis(500));
            assertEquals(4, records.size());
            for (ConsumerRecord<String, String> record : records) {
                TrialControl command = Json.read(record.value(), TrialControl.class);
                assertEquals(TrialControl.CANCEL, command.action());
                assertEquals(record.key(), command.trialId());
                assertEquals(sweep, command.sweepId());
                assertEquals(1, command.attempt());
            }
        }
        worker(new TrialEvent.Cancelled(running, 1, Instant.now(), 7));
        awaitStatus(running, "cancelled");
        assertEquals("cancelled", Fixtures.sweep(sweep).getString("status"));
    }

    @Test
    void aCancelSparesTrialsThatAnotherRunningSweepNeeds() {
        String yaml = Fixtures.smallSweep(store, 2, null);
        JsonPath first = Fixtures.submit(yaml);
        JsonPath second = Fixtures.submit(yaml.replace("factor: [2, 3]", "factor: [3, 4]"));
        String shared = second.getString("trials.find { it.submission == 'reused' }.id");
        JsonPath cancelled = Fixtures.post("/sweeps/" + first.getString("id") + "/cancel");
        assertEquals(1, cancelled.getInt("cancelled"));
        assertEquals(1, cancelled.getInt("kept"));
        assertEquals("queued", Fixtures.trial(shared).getString("status"));
        assertEquals("running", Fixtures.sweep(second.getString("id")).getString("status"));
    }

    @Test
    void retryQueuesOnlyTheFailedTrialsAgain() {
        JsonPath submitted = Fixtures.submit(Fixtures.smallSweep(store, 3, "{max_attempts_per_trial: 1}"));
        String sweep = submitted.getString("id");
        List<String> ids = submitted.getList("trials.id");
        awaitPublished(ids);
        worker(new TrialEvent.Failed(ids.get(0), 1, Instant.now(), "boom", false));
        worker(new TrialEvent.Completed(ids.get(1), 1, Instant.now(), "s3://vtc/predictions/x", 0.5, 10, 5));
        awaitStatus(ids.get(0), "failed");
        awaitStatus(ids.get(1), "completed");

        assertEquals(1, Fixtures.post("/sweeps/" + sweep + "/retry").getInt("retried"));
        JsonPath retried = Fixtures.trial(ids.get(0));
        assertEquals("queued", retried.getString("status"));
        assertEquals(2, retried.getInt("attempt"));
        assertEquals("completed", Fixtures.trial(ids.get(1)).getString("status"));
        assertEquals("queued", Fixtures.trial(ids.get(2)).getString("status"));

        try (TopicReader trials = new TopicReader(Topics.TRIALS)) {
            List<ConsumerRecord<String, String>> records =
                    trials.recordsFor(ids, 4, Duration.ofSeconds(20), Duration.ofSeconds(1));
            Map<String, List<Integer>> attempts = records.stream()
                    .collect(Collectors.groupingBy(
                            ConsumerRecord::key,
                            Collectors.mapping(
                                    r -> Json.read(r.value(), TrialRequested.class)
                                            .attempt(),
                                    Collectors.toList())));
            assertEquals(Map.of(ids.get(0), List.of(1, 2), ids.get(1), List.of(1), ids.get(2), List.of(1)), attempts);
        }
        assertEquals(0, Fixtures.post("/sweeps/" + sweep + "/retry").getInt("retried"));
    }

    @Test
    void retryableFailuresRunAgainUntilMaxAttemptsThenTheTrialIsDeadLettered() {
        JsonPath submitted = Fixtures.submit(Fixtures.smallSweep(store, 1, "{max_attempts_per_trial: 2}"));
        String id = submitted.getString("trials[0].id");
        worker(new TrialEvent.Failed(id, 1, Instant.now(), "out of memory", true));
        Eventually.assertThat(() -> assertEquals(2, Fixtures.trial(id).getInt("attempt")));
        assertEquals("queued", Fixtures.trial(id).getString("status"));
        worker(new TrialEvent.Failed(id, 2, Instant.now(), "out of memory", true));
        awaitStatus(id, "failed");
        assertTrue(Fixtures.trial(id).getString("dead_lettered_at") != null);

        try (TopicReader dlq = new TopicReader(Topics.TRIALS_DLQ)) {
            ConsumerRecord<String, String> record = dlq.recordsFor(
                            List.of(id), 1, Duration.ofSeconds(20), Duration.ZERO)
                    .get(0);
            assertEquals(
                    "attempt 2 of 2 failed: out of memory", TrialEventsTest.header(record, Topics.DLQ_REASON_HEADER));
            assertEquals(Topics.TRIALS, TrialEventsTest.header(record, Topics.DLQ_TOPIC_HEADER));
            TrialRequested request = Json.read(record.value(), TrialRequested.class);
            assertEquals(2, request.attempt());
            assertEquals(id, request.trialId());
        }
    }

    @Test
    void aResubmissionQueuesFailedAndCancelledTrialsAgainAndReusesTheRest() {
        String yaml = Fixtures.smallSweep(store, 3, "{max_attempts_per_trial: 1}");
        JsonPath first = Fixtures.submit(yaml);
        List<String> ids = first.getList("trials.id");
        awaitPublished(ids);
        worker(new TrialEvent.Failed(ids.get(0), 1, Instant.now(), "boom", false));
        worker(new TrialEvent.Completed(ids.get(1), 1, Instant.now(), "s3://vtc/predictions/x", 0.5, 10, 5));
        awaitStatus(ids.get(0), "failed");
        awaitStatus(ids.get(1), "completed");
        Fixtures.post("/sweeps/" + first.getString("id") + "/cancel");
        assertEquals("cancelled", Fixtures.trial(ids.get(2)).getString("status"));

        JsonPath again = Fixtures.submit(yaml);
        assertEquals(List.of("requeued", "reused", "requeued"), again.getList("trials.submission"));
        assertEquals(2, again.getInt("requeued_trials"));
        try (TopicReader trials = new TopicReader(Topics.TRIALS)) {
            List<ConsumerRecord<String, String>> records =
                    trials.recordsFor(ids, 5, Duration.ofSeconds(20), Duration.ofSeconds(1));
            List<TrialRequested> second = records.stream()
                    .map(r -> Json.read(r.value(), TrialRequested.class))
                    .filter(r -> r.attempt() == 2)
                    .toList();
            assertEquals(
                    List.of(ids.get(0), ids.get(2)),
                    second.stream()
                            .map(TrialRequested::trialId)
                            .sorted(java.util.Comparator.comparing(ids::indexOf))
                            .toList());
            second.forEach(r -> assertEquals(again.getString("id"), r.sweepId()));
            second.forEach(r -> assertEquals(r.trialId(), ai.vtc.contracts.TrialIds.of(r.spec())));
            assertEquals(5, records.size());
        }
        assertEquals("queued", Fixtures.trial(ids.get(0)).getString("status"));
        assertEquals(2, Fixtures.trial(ids.get(2)).getInt("attempt"));
    }

    @Test
    void maxFailedTrialsStopsTheSweep() {
        JsonPath submitted =
                Fixtures.submit(Fixtures.smallSweep(store, 5, "{max_failed_trials: 2, max_attempts_per_trial: 1}"));
        String sweep = submitted.getString("id");
        List<String> ids = submitted.getList("trials.id");
        awaitPublished(ids);
        worker(new TrialEvent.Started(ids.get(4), 1, Instant.now(), "worker-a", "cpu", 0));
        awaitStatus(ids.get(4), "running");
        worker(new TrialEvent.Failed(ids.get(0), 1, Instant.now(), "nan loss", false));
        awaitStatus(ids.get(0), "failed");
        assertEquals("running", Fixtures.sweep(sweep).getString("status"));
        worker(new TrialEvent.Failed(ids.get(1), 1, Instant.now(), "nan loss", true));

        Eventually.assertThat(() -> assertEquals("failed", Fixtures.sweep(sweep).getString("status")));
        JsonPath stopped = Fixtures.sweep(sweep);
        assertTrue(stopped.getString("status_reason").startsWith("2 trials failed (max_failed_trials: 2)"));
        assertEquals(2, stopped.getInt("counts.failed"));
        assertEquals(2, stopped.getInt("counts.cancelled"));
        assertEquals(1, stopped.getInt("counts.cancelling"));
        assertEquals("cancelling", Fixtures.trial(ids.get(4)).getString("status"));
    }
}
