package ai.vtc.scheduler.service;

import ai.vtc.contracts.AccuracyByType;
import ai.vtc.contracts.CanonicalJson;
import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.contracts.TrialIds;
import ai.vtc.scheduler.config.SchedulerConfig;
import ai.vtc.scheduler.persistence.EventOutcome;
import ai.vtc.scheduler.persistence.TrialEntity;
import ai.vtc.scheduler.persistence.TrialEventEntity;
import ai.vtc.scheduler.persistence.TrialStatus;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Moves trials through their states on the workers' and the evaluator's events. Delivery is at least once and the
 * two topics are not ordered with each other, so every rule is idempotent and monotonic: a redelivered event (same
 * canonical JSON) is dropped, an event of an older attempt changes nothing, progress and checkpoints only move
 * forward, a final state is left only by {@code completed} (the predictions exist, whatever was said before), and
 * an evaluation implies completion. The evaluator announces a trial again when its comparison with its reference
 * changes; its events are keyed by trial id, so the last one applied is the newest.
 *
 * <pre>
 * queued --started/progress/checkpoint--> running --completed--> completed
 *   |                                        |----failed, retryable, attempts left--> queued (attempt + 1)
 *   |                                        |----failed otherwise--> failed (+ trials.dlq)
 *   |--cancel--> cancelled                   |--cancel--> cancelling --cancelled/failed--> cancelled
 * </pre>
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class TrialStateMachine {
    private final Outbox outbox;
    private final SweepLifecycle lifecycle;
    private final SchedulerConfig config;

    public TrialStateMachine(Outbox outbox, SweepLifecycle lifecycle, SchedulerConfig config) {
        this.outbox = outbox;
        this.lifecycle = lifecycle;
        this.config = config;
    }

    /** Applies a worker's event; returns what it did ({@link EventOutcome}). */
    public EventOutcome apply(TrialEvent event, String payload) {
        TrialEntity trial = TrialEntity.lock(event.trialId());
        if (trial == null) {
            return EventOutcome.UNKNOWN;
        }
        String key = dedupeKey(payload);
        if (TrialEventEntity.seen(key)) {
            return EventOutcome.DUPLICATE;
        }
        Instant now = Instant.now();
        EventOutcome outcome;
        if (event.attempt() < trial.attempt) {
            outcome = EventOutcome.STALE;
        } else if (event.attempt() > trial.attempt) {
            outcome = EventOutcome.IGNORED; // an attempt this scheduler never requested
        } else {
            outcome = dispatch(trial, event, now);
        }
        if (outcome == EventOutcome.APPLIED) {
            trial.updatedAt = now;
        }
        record(trial.id, event.attempt(), typeOf(event), event.at(), outcome, key, payload, now);
        return outcome;
    }

    /** Applies the evaluator's verdict. */
    public EventOutcome apply(EvaluationEvent event, String payload) {
        TrialEntity trial = TrialEntity.lock(event.trialId());
        if (trial == null) {
            return EventOutcome.UNKNOWN;
        }
        String key = dedupeKey(payload);
        if (TrialEventEntity.seen(key)) {
            return EventOutcome.DUPLICATE;
        }
        Instant now = Instant.now();
        String type;
        if (event instanceof EvaluationEvent.Completed done) {
            type = "evaluation_completed";
            trial.accuracy = done.overall();
            trial.metric = done.metricName();
            trial.accuracyPerAnswerType =
                    done.perAnswerType() == null ? null : AccuracyByType.write(done.perAnswerType());
            trial.evaluatedQuestions = done.questions();
            trial.accuracyLower = done.accuracyLower();
            trial.accuracyUpper = done.accuracyUpper();
            trial.comparisonJson = done.comparison() == null ? null : Json.write(done.comparison());
            trial.comparisonNote = done.comparisonNote();
            trial.evaluationError = null;
            if (trial.status != TrialStatus.COMPLETED) {
                trial.status = TrialStatus.COMPLETED; // predictions were evaluated, so they exist
                trial.finishedAt = now;
            }
        } else {
            type = "evaluation_failed";
            trial.evaluationError = ((EvaluationEvent.Failed) event).reason();
        }
        trial.updatedAt = now;
        record(trial.id, trial.attempt, type, event.at(), EventOutcome.APPLIED, key, payload, now);
        return EventOutcome.APPLIED;
    }

    private EventOutcome dispatch(TrialEntity trial, TrialEvent event, Instant now) {
        if (event instanceof TrialEvent.Started e) {
            return started(trial, e, now);
        } else if (event instanceof TrialEvent.Progress e) {
            return progress(trial, e, now);
        } else if (event instanceof TrialEvent.CheckpointSaved e) {
            return checkpoint(trial, e, now);
        } else if (event instanceof TrialEvent.Completed e) {
            return completed(trial, e, now);
        } else if (event instanceof TrialEvent.Failed e) {
            return failed(trial, e, now);
        }
        return cancelled(trial, now);
    }

    private EventOutcome started(TrialEntity trial, TrialEvent.Started e, Instant now) {
        return switch (trial.status) {
            case QUEUED, RUNNING -> {
                trial.status = TrialStatus.RUNNING;
                trial.workerId = e.workerId();
                trial.device = e.device();
                trial.step = Math.max(trial.step, e.resumedFromStep());
                if (trial.startedAt == null) {
                    trial.startedAt = e.at() != null ? e.at() : now;
                }
                yield EventOutcome.APPLIED;
            }
            case CANCELLING -> {
                trial.workerId = e.workerId();
                trial.device = e.device();
                yield EventOutcome.APPLIED;
            }
            case CANCELLED -> remindCancel(trial, now);
            case COMPLETED, FAILED -> EventOutcome.IGNORED;
        };
    }

    private EventOutcome progress(TrialEntity trial, TrialEvent.Progress e, Instant now) {
        if (trial.status == TrialStatus.CANCELLED) {
            return remindCancel(trial, now);
        }
        if (!trial.status.isActive()) {
            return EventOutcome.IGNORED;
        }
        boolean started = markRunning(trial, e.at(), now);
        if (e.step() < trial.step) {
            return started ? EventOutcome.APPLIED : EventOutcome.IGNORED; // older than what we know
        }
        trial.phase = e.phase();
        trial.step = e.step();
        trial.totalSteps = e.totalSteps();
        trial.loss = e.loss();
        trial.samplesPerSecond = e.samplesPerSecond();
        trial.etaSeconds = e.etaSeconds();
        return EventOutcome.APPLIED;
    }

    private EventOutcome checkpoint(TrialEntity trial, TrialEvent.CheckpointSaved e, Instant now) {
        // a checkpoint that exists is worth knowing in any state, late or not
        boolean newer = trial.checkpointStep == null || e.step() > trial.checkpointStep;
        if (newer) {
            trial.checkpointStep = e.step();
            trial.checkpointUri = e.uri();
        }
        boolean started = false;
        if (trial.status == TrialStatus.CANCELLED) {
            remindCancel(trial, now);
        } else if (trial.status.isActive()) {
            started = markRunning(trial, e.at(), now);
        }
        return newer || started ? EventOutcome.APPLIED : EventOutcome.IGNORED;
    }

    private EventOutcome completed(TrialEntity trial, TrialEvent.Completed e, Instant now) {
        if (trial.status == TrialStatus.COMPLETED && trial.predictionsUri != null) {
            if (trial.costJson == null && e.cost() != null) {
                trial.costJson = Json.write(e.cost()); // announced again by a worker that measures cost
                return EventOutcome.APPLIED;
            }
            return EventOutcome.IGNORED;
        }
        if (e.cost() != null) {
            trial.costJson = Json.write(e.cost());
        }
        trial.status = TrialStatus.COMPLETED;
        trial.predictionsUri = e.predictionsUri();
        trial.finalLoss = e.finalLoss();
        trial.step = Math.max(trial.step, e.steps());
        trial.failureReason = null;
        if (trial.finishedAt == null) {
            trial.finishedAt = now;
        }
        return EventOutcome.APPLIED;
    }

    private EventOutcome failed(TrialEntity trial, TrialEvent.Failed e, Instant now) {
        switch (trial.status) {
            case COMPLETED, FAILED, CANCELLED -> {
                return EventOutcome.IGNORED;
            }
            case CANCELLING -> {
                trial.status = TrialStatus.CANCELLED; // it was asked to stop; how it stopped does not matter
                trial.failureReason = e.reason();
                trial.finishedAt = now;
                return EventOutcome.APPLIED;
            }
            default -> {
                trial.failureReason = e.reason();
                if (e.retryable() && trial.attempt < trial.lastAllowedAttempt) {
                    trial.requeue(trial.sweepId, trial.lastAllowedAttempt - trial.attempt, now);
                    outbox.trialRequested(trial);
                    return EventOutcome.APPLIED;
                }
                trial.status = TrialStatus.FAILED;
                trial.finishedAt = now;
                trial.deadLetteredAt = now;
                outbox.deadLetter(
                        trial,
                        (e.retryable()
                                        ? "attempt " + trial.attempt + " of " + trial.lastAllowedAttempt + " failed: "
                                        : "failed (not retryable): ")
                                + e.reason());
                lifecycle.stopSweepsWithTooManyFailures(trial);
                return EventOutcome.APPLIED;
            }
        }
    }

    private EventOutcome cancelled(TrialEntity trial, Instant now) {
        if (!trial.status.isActive()) {
            return EventOutcome.IGNORED;
        }
        trial.status = TrialStatus.CANCELLED;
        trial.finishedAt = now;
        return EventOutcome.APPLIED;
    }

    /** A report from a worker means the trial runs, even when its started event is late or lost. */
    private static boolean markRunning(TrialEntity trial, Instant at, Instant now) {
        if (trial.status != TrialStatus.QUEUED) {
            return false;
        }
        trial.status = TrialStatus.RUNNING;
        trial.startedAt = at != null ? at : now;
        return true;
    }

    /** A worker reports on a trial that was cancelled while queued: tell it again (not more often than configured). */
    private EventOutcome remindCancel(TrialEntity trial, Instant now) {
        if (trial.cancelSentAt == null
                || trial.cancelSentAt.plus(config.cancelResendInterval()).isBefore(now)) {
            outbox.cancel(trial, trial.sweepId, now);
        }
        return EventOutcome.IGNORED;
    }

    /** The JSON {@code type} name of the event, as declared on {@link TrialEvent}. */
    private static String typeOf(TrialEvent event) {
        for (JsonSubTypes.Type type :
                TrialEvent.class.getAnnotation(JsonSubTypes.class).value()) {
            if (type.value() == event.getClass()) {
                return type.name();
            }
        }
        return event.getClass().getSimpleName();
    }

    private static String dedupeKey(String payload) {
        return TrialIds.sha256Hex(CanonicalJson.of(payload));
    }

    private static void record(
            String trialId,
            int attempt,
            String type,
            Instant at,
            EventOutcome outcome,
            String key,
            String payload,
            Instant now) {
        TrialEventEntity row = new TrialEventEntity();
        row.trialId = trialId;
        row.attempt = attempt;
        row.type = type;
        row.at = at;
        row.receivedAt = now;
        row.outcome = outcome;
        row.dedupeKey = key;
        row.payload = payload;
        row.persist();
    }
}
