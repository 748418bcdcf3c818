package ai.vtc.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.DatasetRef;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.contracts.TrialIds;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.contracts.TrialSpec;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.worker.TestWorker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Leases on the real S3 server (heartbeat every second, so a lease holds three): a worker leaves alone a trial whose
 * holder renews its lease, takes over one whose holder gave it up or died, and sends heartbeats meanwhile.
 */
class TrialHeartbeatTest {
    private final ObjectStore store = TestWorker.objectStore();
    private final List<TrialEvent> reported = new CopyOnWriteArrayList<>();
    private final TrialHeartbeat a = heartbeat("worker-a");
    private final TrialHeartbeat b = heartbeat("worker-b");

    private TrialHeartbeat heartbeat(String worker) {
        return new TrialHeartbeat(store, new Recording(), new TestWorker.Config(worker, Path.of("target/lease-test")));
    }

    private static TrialRequested trial() {
        TrialSpec spec = new TrialSpec(
                "model-" + UUID.randomUUID(),
                new DatasetRef("d", "all", "val", "h"),
                new Compression("avg_pool", 2, 0, false),
                null,
                null,
                7);
        return new TrialRequested("sweep", TrialIds.of(spec), spec, "h", 1);
    }

    @Test
    void aTrialWhoseHolderRenewsItsLeaseIsLeftAloneAndTakenOverOnceItIsGivenUp() throws Exception {
        TrialRequested trial = trial();
        try (TrialHeartbeat.Beating beating = a.start(trial)) {
            Optional<TrialLease> held = b.heldElsewhere(trial);
            assertTrue(held.isPresent(), "worker-a renews its lease");
            assertEquals("worker-a", held.get().workerId());
            assertTrue(a.heldElsewhere(trial).isEmpty(), "its own lease does not keep a worker from its trial");
        }
        assertFalse(store.exists(Keys.lease(trial.trialId())), "the lease is given up at the end");
        assertTrue(b.heldElsewhere(trial).isEmpty());
        assertTrue(
                reported.stream()
                        .allMatch(e -> e instanceof TrialEvent.Heartbeat h
                                && h.trialId().equals(trial.trialId())),
                reported.toString());
        assertTrue(reported.size() >= 2, "a heartbeat at the start and one a second: " + reported);
    }

    @Test
    void aDeadHoldersLeaseIsTakenOverWithinOneLeasePeriod() throws Exception {
        TrialRequested trial = trial();
        Instant renewed = Instant.now();
        TrialLease left = new TrialLease(trial.trialId(), 1, "worker-killed", renewed, renewed.plusSeconds(3));
        store.put(Keys.lease(trial.trialId()), Json.write(left).getBytes(StandardCharsets.UTF_8), "application/json");
        long t0 = System.nanoTime();
        assertTrue(b.heldElsewhere(trial).isEmpty(), "a lease nobody renews lapses");
        Duration waited = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(waited.toMillis() < 5000, "waited " + waited);

        TrialLease older = new TrialLease(trial.trialId(), 1, "worker-a", renewed, renewed.plusSeconds(60));
        store.put(Keys.lease(trial.trialId()), Json.write(older).getBytes(StandardCharsets.UTF_8), "application/json");
        assertTrue(
                b.heldElsewhere(new TrialRequested("sweep", trial.trialId(), trial.spec(), "h", 2))
                        .isEmpty(),
                "a lease on an older attempt does not hold a newer one");
        store.delete(Keys.lease(trial.trialId()));
    }

    private final class Recording implements EventSink {
        @Override
        public void event(TrialEvent event) {
            reported.add(event);
        }

        @Override
        public void predictionsReady(PredictionsReady ready) {}

        @Override
        public void deadLetter(String key, String value, String reason, String sourceTopic) {}
    }
}
