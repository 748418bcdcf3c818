package ai.vtc.worker.service;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.storage.StorageRetry;
import ai.vtc.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Tells the others that this worker still runs a trial, every {@code worker.heartbeat-interval} from before its
 * inputs are fetched to its end: a {@link TrialEvent.Heartbeat} for the scheduler (which takes a trial silent past
 * its lease as lost) and the {@link TrialLease} object for the other workers. A worker that receives a trial under
 * someone else's lease watches the lease for up to one lease period: renewed, the holder is alive and the trial is
 * left to it (a request published twice); lapsed or given up, the holder died or finished and the trial is taken
 * over (handed over by a rebalance after a crash). Object storage has no atomic create, so two workers that receive
 * one request in the same instant can still both start it; the lease closes the wide window, not that one.
 */
@ApplicationScoped
public class TrialHeartbeat {
    private static final Logger LOG = Logger.getLogger(TrialHeartbeat.class);
    /** Renewals a lease outlives: one missed beat does not hand the trial over. */
    private static final int BEATS_PER_LEASE = 3;

    private final ObjectStore store;
    private final EventSink events;
    private final WorkerConfig config;

    public TrialHeartbeat(ObjectStore store, EventSink events, WorkerConfig config) {
        // one try per beat: a beat waiting out an object-storage outage would hold back the heartbeat events too
        this.store = store.withRetry(StorageRetry.ONCE);
        this.events = events;
        this.config = config;
    }

    /**
     * The live lease another worker holds on this attempt (or a later one): one that is renewed while this worker
     * watches it. Empty when there is none, or when it lapses or is given up meanwhile (its holder died or finished);
     * an unreadable lease counts as none.
     */
    public Optional<TrialLease> heldElsewhere(TrialRequested trial) throws InterruptedException {
        Optional<TrialLease> seen = read(trial);
        if (seen.isEmpty()) {
            return Optional.empty();
        }
        long poll = Math.max(50, config.heartbeatInterval().toMillis() / 4);
        while (true) {
            Optional<TrialLease> now = read(trial);
            if (now.isEmpty()) {
                return Optional.empty();
            }
            if (now.get().renewedAt().isAfter(seen.get().renewedAt())) {
                return now;
            }
            Thread.sleep(poll);
        }
    }

    private Optional<TrialLease> read(TrialRequested trial) {
        String key = Keys.lease(trial.trialId());
        try {
            if (!store.exists(key)) {
                return Optional.empty();
            }
            TrialLease lease = Json.read(new String(store.get(key), StandardCharsets.UTF_8), TrialLease.class);
            return lease.excludes(config.workerId(), trial.attempt(), Instant.now())
                    ? Optional.of(lease)
                    : Optional.empty();
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the lease of trial %s, taking it as none: %s", trial.trialId(), e.toString());
            return Optional.empty();
        }
    }

    /** Takes the lease and beats until the returned handle is closed, which also gives the lease up. */
    public Beating start(TrialRequested trial) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "heartbeat-" + trial.trialId());
            thread.setDaemon(true);
            return thread;
        });
        beat(trial);
        long every = config.heartbeatInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> beat(trial), every, every, TimeUnit.MILLISECONDS);
        return () -> {
            timer.shutdownNow();
            try {
                store.delete(Keys.lease(trial.trialId()));
            } catch (RuntimeException e) {
                LOG.warnf("cannot give up the lease of trial %s (it lapses by itself): %s", trial.trialId(), e);
            }
        };
    }

    private void beat(TrialRequested trial) {
        Instant now = Instant.now();
        Duration lease = config.heartbeatInterval().multipliedBy(BEATS_PER_LEASE);
        TrialLease claim = new TrialLease(trial.trialId(), trial.attempt(), config.workerId(), now, now.plus(lease));
        try {
            store.put(
                    Keys.lease(trial.trialId()),
                    Json.write(claim).getBytes(StandardCharsets.UTF_8),
                    "application/json");
        } catch (RuntimeException e) {
            LOG.warnf("cannot renew the lease of trial %s: %s", trial.trialId(), e.toString());
        }
        try {
            events.event(new TrialEvent.Heartbeat(trial.trialId(), trial.attempt(), now, config.workerId()));
        } catch (RuntimeException e) {
            LOG.warnf("cannot send the heartbeat of trial %s: %s", trial.trialId(), e.toString());
        }
    }

    /** A running heartbeat; closing it stops the beats and gives the lease up. */
    public interface Beating extends AutoCloseable {
        @Override
        void close();
    }
}
