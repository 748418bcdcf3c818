package ai.vtc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.storage.ObjectStore;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** At-least-once delivery: duplicates, reordering, stale attempts and garbage leave the state right. */
@QuarkusTest
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class TrialEventsTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Inject
    ObjectStore store;

    private final EventSender sender = new EventSender();

    @AfterEach
    void close() {
        sender.close();
    }

    /** The text of one column as PostgreSQL holds it. */
    @SuppressWarnings("unchecked")
    static List<String> stored(String sql, String trialId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> Panache.getEntityManager()
                        .createNativeQuery(sql, String.class)
                        .setParameter(1, trialId)
                        .getResultList());
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private void worker(TrialEvent event) {
        sender.send(Topics.TRIAL_EVENTS, event.trialId(), event);
    }

    @Test
    void duplicatesAndReorderedEventsLeaveTheStateRight() {
        String id = Fixtures.submit(Fixtures.smallSweep(store, 1, null)).getString("trials[0].id");
        TrialEvent.Progress step20 = new TrialEvent.Progress(id, 1, at(20), "train", 20, 40, 1.5, 8.0, 60);
        worker(step20); // before the start event
        worker(new TrialEvent.Started(id, 1, at(1), "worker-a", "cpu", 0));
        worker(new TrialEvent.Progress(id, 1, at(10), "train", 10, 40, 2.5, 8.0, 90)); // older than step 20
        worker(step20); // redelivered
        worker(new TrialEvent.CheckpointSaved(id, 1, at(21), "s3://vtc/checkpoints/" + id + "/step-20/", 20, "ab", 10));
        worker(new TrialEvent.CheckpointSaved(id, 1, at(11), "s3://vtc/checkpoints/" + id + "/step-10/", 10, "cd", 10));
        TrialEvent.Completed done = new TrialEvent.Completed(id, 1, at(50), "s3://vtc/predictions/" + id, 0.9, 40, 50);
        worker(done);
        worker(new TrialEvent.Progress(id, 1, at(45), "eval", 35, 40, null, 8.0, 5)); // late
        worker(new TrialEvent.Started(id, 1, at(2), "worker-b", "cpu", 0)); // late duplicate start
        worker(done);

        Eventually.assertThat(
                () -> assertEquals(8, Fixtures.trial(id).getList("events").size()));
        JsonPath trial = Fixtures.trial(id);
        assertEquals("completed", trial.getString("status"));
        assertEquals(40, trial.getInt("step"));
        assertEquals(20, trial.getInt("checkpoint_step"));
        assertEquals("s3://vtc/checkpoints/" + id + "/step-20/", trial.getString("checkpoint_uri"));
        assertEquals("s3://vtc/predictions/" + id, trial.getString("predictions_uri"));
        assertEquals("worker-a", trial.getString("worker_id"));
        assertEquals(
                List.of(
                        "progress",
                        "started",
                        "progress",
                        "checkpoint_saved",
                        "checkpoint_saved",
                        "completed",
                        "progress",
                        "started"),
                trial.getList("events.type"));
        assertEquals(
                List.of("applied", "applied", "ignored", "applied", "ignored", "applied", "ignored", "ignored"),
                trial.getList("events.outcome"));
    }

    @Test
    void anEvaluationBeforeTheCompletedEventCompletesTheTrial() {
        JsonPath submitted = Fixtures.submit(Fixtures.smallSweep(store, 2, null));
        String sweep = submitted.getString("id");
        String id = submitted.getString("trials[1].id");
        EvaluationEvent.Completed verdict =
                new EvaluationEvent.Completed(id, sweep, at(60), 61.25, Map.of("yes/no", 80.0), Map.of(), 300);
        sender.send(Topics.EVALUATIONS, id, verdict);
        sender.send(Topics.EVALUATIONS, id, verdict);
        Eventually.assertThat(() -> assertEquals("completed", Fixtures.trial(id).getString("status")));
        worker(new TrialEvent.Completed(id, 1, at(50), "s3://vtc/predictions/" + id, 0.5, 40, 50));
        Eventually.assertThat(() -> assertNotNull(Fixtures.trial(id).getString("predictions_uri")));
        JsonPath trial = Fixtures.trial(id);
        assertEquals("completed", trial.getString("status"));
        assertEquals(61.25f, trial.getFloat("accuracy"));
        assertEquals("vqa_accuracy", trial.getString("metric"), "an event without a metric is VQA accuracy");
        assertEquals(80.0f, trial.getFloat("accuracy_per_answer_type.'yes/no'"));
        assertEquals(List.of("evaluation_completed", "completed"), trial.getList("events.type"));
    }

    @Test
    void aDocVqaTrialKeepsItsMetric() {
        JsonPath submitted = Fixtures.submit(Fixtures.smallSweep(store, 1, null));
        String sweep = submitted.getString("id");
        String id = submitted.getString("trials[0].id");
        EvaluationEvent.Completed verdict = new EvaluationEvent.Completed(
                id, sweep, at(60), 72.5, Map.of("other", 72.5), Map.of(), 40, 60.0, 80.0, null, null, "anls");
        sender.send(Topics.EVALUATIONS, id, verdict);
        Eventually.assertThat(() -> assertEquals("anls", Fixtures.trial(id).getString("metric")));
        assertEquals(72.5f, Fixtures.trial(id).getFloat("accuracy"));
        Eventually.assertThat(() -> assertEquals(
                "anls",
                io.restassured.RestAssured.given()
                        .get("/sweeps/" + sweep + "/results")
                        .jsonPath()
                        .getString("results[0].metric")));
    }

    @Test
    void anOlderAttemptsEventsAreStale() {
        String id = Fixtures.submit(Fixtures.smallSweep(store, 1, "{max_attempts_per_trial: 3}"))
                .getString("trials[0].id");
        worker(new TrialEvent.Started(id, 1, at(1), "worker-a", "cpu", 0));
        worker(new TrialEvent.Failed(id, 1, at(5), "worker lost", true));
        Eventually.assertThat(() -> assertEquals(2, Fixtures.trial(id).getInt("attempt")));
        assertEquals("queued", Fixtures.trial(id).getString("status"));
        worker(new TrialEvent.Progress(id, 1, at(6), "train", 30, 40, 1.0, 8.0, 1)); // from the lost worker
        worker(new TrialEvent.Started(id, 2, at(10), "worker-b", "cpu", 0));
        Eventually.assertThat(() -> assertEquals("running", Fixtures.trial(id).getString("status")));
        JsonPath trial = Fixtures.trial(id);
        assertEquals("worker-b", trial.getString("worker_id"));
        assertEquals(0, trial.getInt("step"));
        assertEquals("stale", trial.getString("events[2].outcome"));
        // the enums are stored with the spellings the columns always had
        assertEquals(
                List.of("applied", "applied", "stale", "applied"),
                stored("select outcome from trial_event where trial_id = ?1 order by id", id));
        assertEquals(List.of("new"), stored("select submission from sweep_trial where trial_id = ?1", id));
        try (TopicReader trials = new TopicReader(Topics.TRIALS)) {
            List<ConsumerRecord<String, String>> records =
                    trials.recordsFor(List.of(id), 2, Duration.ofSeconds(20), Duration.ZERO);
            assertEquals(
                    List.of(1, 2),
                    records.stream()
                            .map(r -> Json.read(r.value(), TrialRequested.class).attempt())
                            .toList());
        }
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicAndConsumptionGoesOn() {
        String id = Fixtures.submit(Fixtures.smallSweep(store, 1, null)).getString("trials[0].id");
        sender.sendRaw(Topics.TRIAL_EVENTS, id, "{\"type\":\"exploded\",\"trial_id\":\"" + id + "\"}");
        worker(new TrialEvent.Started("ffffffffffffffff", 1, at(1), "worker-a", "cpu", 0)); // unknown trial
        worker(new TrialEvent.Started(id, 1, at(1), "worker-a", "cpu", 0));
        Eventually.assertThat(() -> assertEquals("running", Fixtures.trial(id).getString("status")));
        try (TopicReader dlq = new TopicReader(Topics.TRIALS_DLQ)) {
            ConsumerRecord<String, String> record = dlq.recordsFor(
                            List.of(id), 1, Duration.ofSeconds(20), Duration.ZERO)
                    .get(0);
            assertEquals(Topics.TRIAL_EVENTS, header(record, Topics.DLQ_TOPIC_HEADER));
            assertNotNull(header(record, Topics.DLQ_REASON_HEADER));
        }
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
