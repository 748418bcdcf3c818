package ai.vtc.scheduler.service;

import ai.vtc.contracts.Topics;
import ai.vtc.scheduler.persistence.OutboxEntity;
import ai.vtc.scheduler.persistence.SweepEntity;
import ai.vtc.scheduler.persistence.SweepStatus;
import ai.vtc.scheduler.persistence.SweepTrialEntity;
import ai.vtc.scheduler.persistence.TrialEntity;
import ai.vtc.scheduler.persistence.TrialStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Cancel, retry and the {@code max_failed_trials} stop. Cancelling withdraws the requests still in the outbox (those
 * trials never reach a worker), tells the workers about requests already on {@code trials} (they skip them) and
 * about running trials (they stop at the next step and answer {@code cancelled}). Trials that another running sweep
 * also contains are left alone.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class SweepLifecycle {
    private static final Logger LOG = Logger.getLogger(SweepLifecycle.class);

    /** What a cancel did. */
    public record Cancelled(int cancelled, int cancelling, int kept) {}

    private final Outbox outbox;

    public SweepLifecycle(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Cancels the sweep's active trials; null when there is no such sweep. */
    public Cancelled cancel(String sweepId) {
        SweepEntity sweep = SweepEntity.lock(sweepId);
        if (sweep == null) {
            return null;
        }
        Instant now = Instant.now();
        Cancelled result = cancelActive(sweep, now);
        if (sweep.status == SweepStatus.RUNNING && result.cancelled() + result.cancelling() + result.kept() > 0) {
            sweep.status = SweepStatus.CANCELLED;
            sweep.statusReason = "cancelled by request";
            sweep.updatedAt = now;
        }
        return result;
    }

    /** Queues the next attempt of every failed trial of the sweep; -1 when there is no such sweep. */
    public int retry(String sweepId) {
        SweepEntity sweep = SweepEntity.lock(sweepId);
        if (sweep == null) {
            return -1;
        }
        Instant now = Instant.now();
        List<TrialEntity> failed = TrialEntity.lockOfSweep(sweepId, List.of(TrialStatus.FAILED));
        for (TrialEntity trial : failed) {
            trial.requeue(sweep.id, sweep.maxAttemptsPerTrial, now);
            outbox.trialRequested(trial);
        }
        if (!failed.isEmpty()) {
            sweep.status = SweepStatus.RUNNING;
            sweep.statusReason = null;
            sweep.updatedAt = now;
        }
        return failed.size();
    }

    /** After {@code trial} failed for good: stops every running sweep of it that reached its failure limit. */
    public void stopSweepsWithTooManyFailures(TrialEntity trial) {
        for (SweepEntity candidate : SweepEntity.runningWith(trial.id)) {
            if (candidate.maxFailedTrials == null) {
                continue;
            }
            SweepEntity sweep = SweepEntity.lock(candidate.id);
            long failed = SweepTrialEntity.countWithStatus(sweep.id, TrialStatus.FAILED);
            if (sweep.status == SweepStatus.RUNNING && failed >= sweep.maxFailedTrials) {
                Instant now = Instant.now();
                sweep.status = SweepStatus.FAILED;
                sweep.statusReason =
                        failed + " trials failed (max_failed_trials: " + sweep.maxFailedTrials + "); stopped";
                sweep.updatedAt = now;
                Cancelled result = cancelActive(sweep, now);
                LOG.infof("sweep %s stopped: %s; %s", sweep.id, sweep.statusReason, result);
            }
        }
    }

    private Cancelled cancelActive(SweepEntity sweep, Instant now) {
        List<TrialEntity> active = TrialEntity.lockOfSweep(sweep.id, List.of(TrialStatus.QUEUED, TrialStatus.RUNNING));
        Set<String> shared = SweepTrialEntity.sharedWithOtherRunningSweeps(
                sweep.id, active.stream().map(t -> t.id).toList());
        List<String> queued = active.stream()
                .filter(t -> t.status == TrialStatus.QUEUED && !shared.contains(t.id))
                .map(t -> t.id)
                .toList();
        Set<String> withdrawn = new HashSet<>(OutboxEntity.withdraw(Topics.TRIALS, queued));
        int cancelled = 0;
        int cancelling = 0;
        for (TrialEntity trial : active) {
            if (shared.contains(trial.id)) {
                continue;
            }
            if (trial.status == TrialStatus.QUEUED) {
                trial.status = TrialStatus.CANCELLED;
                trial.finishedAt = now;
                cancelled++;
                if (!withdrawn.contains(trial.id)) {
                    outbox.cancel(trial, sweep.id, now); // already on the topic: the worker must skip it
                }
            } else {
                trial.status = TrialStatus.CANCELLING;
                cancelling++;
                outbox.cancel(trial, sweep.id, now);
            }
            trial.updatedAt = now;
        }
        return new Cancelled(cancelled, cancelling, shared.size());
    }
}
