package ai.vtc.scheduler.service;

import ai.vtc.contracts.DeadLetters;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialControl;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.contracts.TrialSpec;
import ai.vtc.scheduler.persistence.BulkInserts;
import ai.vtc.scheduler.persistence.OutboxEntity;
import ai.vtc.scheduler.persistence.TrialEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Writes Kafka records into the outbox table inside the caller's transaction, so a state change and the record
 * that announces it commit together or not at all. The relay publishes them after the commit.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Outbox {
    /** Fired once per transaction that wrote to the outbox; observed after commit to wake the relay. */
    public record Written() {}

    private static final String MARK = Outbox.class.getName();

    private final Event<Written> written;
    private final TransactionSynchronizationRegistry transactions;

    public Outbox(Event<Written> written, TransactionSynchronizationRegistry transactions) {
        this.written = written;
        this.transactions = transactions;
    }

    /** The trial's current attempt on {@code trials}. */
    public void trialRequested(TrialEntity trial, TrialSpec spec) {
        save(requestRow(trial, spec));
    }

    public void trialRequested(TrialEntity trial) {
        trialRequested(trial, trial.spec());
    }

    /**
     * The requests of every trial {@code sweepId}'s submission created or queued again (its links say which), in
     * one statement: a 10,000-trial sweep.
     */
    public void trialsRequestedBy(String sweepId) {
        if (BulkInserts.trialRequests(sweepId, Topics.TRIALS) > 0) {
            wakeRelayAfterCommit();
        }
    }

    /** A cancel for every attempt up to the trial's current one, on {@code trial-control}. */
    public void cancel(TrialEntity trial, String sweepId, Instant now) {
        TrialControl control = new TrialControl(trial.id, sweepId, TrialControl.CANCEL, now, trial.attempt);
        save(row(Topics.TRIAL_CONTROL, trial.id, Json.write(control), null));
        trial.cancelSentAt = now;
    }

    /** The trial's last request on {@code trials.dlq}, with why it failed for good. */
    public void deadLetter(TrialEntity trial, String reason) {
        OutboxEntity row = requestRow(trial, trial.spec());
        row.topic = Topics.TRIALS_DLQ;
        row.headers = Json.write(DeadLetters.headers(Topics.TRIALS, reason));
        save(row);
    }

    /**
     * The trial's current attempt on {@code trials} for a rung of {@code sweepId}'s race: the trial may be queued for
     * another sweep, and its {@link TrialEntity#evalFraction} says which share of the evaluation set to answer.
     */
    public void rungRequested(TrialEntity trial, String sweepId) {
        save(requestRow(trial, trial.spec(), sweepId));
    }

    private static OutboxEntity requestRow(TrialEntity trial, TrialSpec spec) {
        return requestRow(trial, spec, trial.sweepId);
    }

    private static OutboxEntity requestRow(TrialEntity trial, TrialSpec spec, String sweepId) {
        TrialRequested request = new TrialRequested(
                sweepId,
                trial.id,
                spec,
                spec.dataset().manifestSha256(),
                trial.attempt,
                trial.evalFraction,
                trial.lastAllowedAttempt);
        return row(Topics.TRIALS, trial.id, Json.write(request), null);
    }

    private static OutboxEntity row(String topic, String trialId, String payload, String headers) {
        OutboxEntity row = new OutboxEntity();
        row.topic = topic;
        row.messageKey = trialId;
        row.trialId = trialId;
        row.payload = payload;
        row.headers = headers;
        row.createdAt = Instant.now();
        return row;
    }

    private void save(OutboxEntity row) {
        row.persist();
        wakeRelayAfterCommit();
    }

    private void wakeRelayAfterCommit() {
        if (transactions.getResource(MARK) == null) {
            transactions.putResource(MARK, Boolean.TRUE);
            written.fire(new Written());
        }
    }
}
