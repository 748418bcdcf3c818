package ai.vtc.scheduler.service;

import ai.vtc.scheduler.config.SchedulerConfig;
import ai.vtc.scheduler.health.ConsumerHealth;
import ai.vtc.scheduler.persistence.TrialEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The way out for a trial whose worker died without a word (kill -9, a lost machine): every
 * {@code scheduler.lease.check-interval} the running trials whose worker has been silent for longer than
 * {@code scheduler.lease.timeout} are taken as lost ({@link TrialStateMachine#leaseExpired}). Workers send a
 * heartbeat well within the lease. Nothing is judged before the scheduler itself has been listening for a whole
 * lease: after its own start or a database outage, the heartbeats of the meantime may still be on the topic.
 */
@ApplicationScoped
public class TrialLeases {
    private static final Logger LOG = Logger.getLogger(TrialLeases.class);
    private static final int BATCH = 100;

    private final SchedulerConfig config;
    private final TrialStateMachine machine;
    private final ConsumerHealth consumers;
    private ScheduledExecutorService timer;

    public TrialLeases(SchedulerConfig config, TrialStateMachine machine, ConsumerHealth consumers) {
        this.config = config;
        this.machine = machine;
        this.consumers = consumers;
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "trial-leases");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.lease().checkInterval().toMillis();
        timer.scheduleWithFixedDelay(this::checkQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Ends the attempts whose lease ran out; returns how many. */
    public int expire() {
        Duration lease = config.lease().timeout();
        Instant now = Instant.now();
        Instant listening = consumers.listeningSince();
        if (listening == null || listening.plus(lease).isAfter(now)) {
            return 0;
        }
        Instant cutoff = now.minus(lease);
        return QuarkusTransaction.requiringNew().call(() -> {
            List<TrialEntity> silent = TrialEntity.lockSilentSince(cutoff, BATCH);
            for (TrialEntity trial : silent) {
                Instant since = trial.heardAt != null ? trial.heardAt : trial.updatedAt;
                LOG.warnf(
                        "trial %s (attempt %d, worker %s) silent since %s: its lease ran out",
                        trial.id, trial.attempt, trial.workerId, since);
                machine.leaseExpired(trial, since, now);
            }
            return silent.size();
        });
    }

    private void checkQuietly() {
        try {
            while (expire() == BATCH) {
                // more silent trials than one batch
            }
        } catch (RuntimeException e) {
            LOG.warnf("cannot check the trials' leases now: %s", e.toString());
        }
    }
}
