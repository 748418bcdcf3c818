package ai.vtc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.contracts.TrialRequested;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A trial whose worker goes silent (killed without a word) is not running forever: past its lease (3 s here) it is
 * queued again as its next attempt, and failed with the reason when it has none left; heartbeats keep it running.
 */
@QuarkusTest
@TestProfile(LeaseProfile.class)
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class LeaseTest {
    @Inject
    ObjectStore store;

    private final EventSender sender = new EventSender();

    @AfterEach
    void close() {
        sender.close();
    }

    @Test
    void aSilentWorkersTrialIsRequeuedAndThenFailedWhileHeartbeatsKeepItRunning() throws Exception {
        String id = Fixtures.submit(Fixtures.smallSweep(store, 1, "{max_attempts_per_trial: 2}"))
                .getString("trials[0].id");
        sender.send(Topics.TRIAL_EVENTS, id, new TrialEvent.Started(id, 1, Instant.now(), "worker-a", "cpu", 0));
        // The first event waits for the scheduler's consumers to join their group, which after the previous test
        // class's application stopped (or the shared broker restarted) can take a session timeout; the lease is
        // counted from when the scheduler applies an event, so this wait does not eat into it.
        Eventually.assertThat(
                Duration.ofSeconds(90),
                () -> assertEquals("running", Fixtures.trial(id).getString("status")));
        for (int i = 0; i < 12; i++) { // twice the lease
            sender.send(Topics.TRIAL_EVENTS, id, new TrialEvent.Heartbeat(id, 1, Instant.now(), "worker-a"));
            Thread.sleep(1000);
        }
        JsonPath beating = Fixtures.trial(id);
        assertEquals("running", beating.getString("status"), "heartbeats keep the lease");
        assertEquals(1, beating.getInt("attempt"));

        // worker-a dies: no more heartbeats
        Eventually.assertThat(
                Duration.ofSeconds(15), () -> assertEquals(2, Fixtures.trial(id).getInt("attempt")));
        JsonPath requeued = Fixtures.trial(id);
        assertEquals("queued", requeued.getString("status"));
        assertTrue(requeued.getString("failure_reason").contains("no word from worker worker-a"), requeued.prettify());
        try (TopicReader trials = new TopicReader(Topics.TRIALS)) {
            assertEquals(
                    List.of(1, 2),
                    trials.recordsFor(List.of(id), 2, Duration.ofSeconds(20), Duration.ZERO).stream()
                            .map(r -> Json.read(r.value(), TrialRequested.class).attempt())
                            .toList());
        }

        // the second attempt's worker dies too, and there is no third attempt
        sender.send(Topics.TRIAL_EVENTS, id, new TrialEvent.Started(id, 2, Instant.now(), "worker-b", "cpu", 0));
        Eventually.assertThat(
                Duration.ofSeconds(15),
                () -> assertEquals("failed", Fixtures.trial(id).getString("status")));
        JsonPath failed = Fixtures.trial(id);
        assertTrue(failed.getString("failure_reason").contains("no word from worker worker-b"), failed.prettify());
        assertEquals(
                List.of("started", "lease_expired", "started", "lease_expired"),
                TrialEventsTest.stored("select type from trial_event where trial_id = ?1 order by id", id));
    }
}
