package ai.vtc.worker.service;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.SearchSettings;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.contracts.TrialIds;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.florence2.train.Example;
import ai.vtc.storage.StorageFailures;
import ai.vtc.worker.config.WorkerConfig;
import ai.vtc.worker.metrics.TrialOutcome;
import ai.vtc.worker.metrics.WorkerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs one trial from its {@code trials} record to its outcome (docs/architecture.md: "Kafka topics and messages",
 * "Identity and idempotency", "Object-storage layout"), the whole flow in {@link #process}: a bad record goes to the
 * dead-letter topic, a done trial is re-announced by {@link TrialOutputs}, a cancelled one is skipped, one that another
 * worker runs under a live lease is left alone ({@link TrialHeartbeat}); otherwise the
 * inputs are fetched, the newest verified checkpoint chosen, the {@link TrialRunner} trains and evaluates with a
 * {@link RunListener} reporting as it goes, and the result is stored and announced by {@link TrialOutputs}. Every
 * report goes through the {@link EventSink}.
 */
@ApplicationScoped
public class TrialExecutor {
    private static final Logger LOG = Logger.getLogger(TrialExecutor.class);

    /** What the consumer does with the record: commit it, or leave it for another worker. */
    public enum Outcome {
        DONE,
        STOPPED
    }

    private final CheckpointStore checkpoints;
    private final TrialInputs inputs;
    private final TrialRunner runner;
    private final TrialOutputs outputs;
    private final AnswerStore answers;
    private final RungOutputs rungs;
    private final EventSink events;
    private final StopSignal stop;
    private final TrialHeartbeat heartbeat;
    private final TrialRuns runs;
    private final FaultInjection faults;
    private final WorkerMetrics metrics;
    private final WorkerConfig config;

    public TrialExecutor(
            CheckpointStore checkpoints,
            TrialInputs inputs,
            TrialRunner runner,
            TrialOutputs outputs,
            AnswerStore answers,
            RungOutputs rungs,
            EventSink events,
            StopSignal stop,
            TrialHeartbeat heartbeat,
            TrialRuns runs,
            FaultInjection faults,
            WorkerMetrics metrics,
            WorkerConfig config) {
        this.checkpoints = checkpoints;
        this.inputs = inputs;
        this.runner = runner;
        this.outputs = outputs;
        this.answers = answers;
        this.rungs = rungs;
        this.events = events;
        this.stop = stop;
        this.heartbeat = heartbeat;
        this.runs = runs;
        this.faults = faults;
        this.metrics = metrics;
        this.config = config;
    }

    /** Processes one {@code trials} record. Never throws for a bad record: it goes to the DLQ instead. */
    public Outcome process(String key, String value) {
        TrialRequested trial;
        try {
            trial = parse(key, value);
        } catch (PoisonRecord e) {
            LOG.warnf("record %s sent to the DLQ: %s", key, e.getMessage());
            events.deadLetter(key, value, e.getMessage(), Topics.TRIALS);
            return Outcome.DONE;
        }
        Optional<TrialLease> elsewhere;
        try {
            elsewhere = heartbeat.heldElsewhere(trial);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.STOPPED;
        }
        if (elsewhere.isPresent()) {
            // published twice while it runs: one run is enough; should that worker die, the scheduler requeues the
            // trial once its lease there lapses
            LOG.infof(
                    "trial %s attempt %d runs on worker %s, which renews its lease: left alone",
                    trial.trialId(), trial.attempt(), elsewhere.get().workerId());
            metrics.leftAlone();
            return Outcome.DONE;
        }
        if (outputs.isDone(trial.trialId()) && !trial.isRung()) {
            try {
                outputs.reannounce(trial);
            } catch (TrialFailure e) { // stored content that stays broken: report it, do not retry the record
                LOG.error(e.getMessage(), e);
                failed(trial, e.getMessage(), e.retryable());
            }
            return Outcome.DONE;
        }
        if (stop.reasonFor(trial.trialId(), trial.attempt()) == StopSignal.Reason.CANCELLED) {
            events.event(new TrialEvent.Cancelled(trial.trialId(), trial.attempt(), Instant.now(), 0));
            return Outcome.DONE;
        }
        List<TrialRuns.TrialRun> died = runs.died(trial);
        if (died.size() >= runs.deathsAllowed(trial)) { // it would only kill this worker too
            String reason = TrialRuns.reason(died);
            LOG.errorf(
                    "trial %s attempt %d fails instead of running again: %s", trial.trialId(), trial.attempt(), reason);
            failed(trial, reason, false);
            return Outcome.DONE;
        }
        if (!died.isEmpty()) {
            LOG.warnf(
                    "trial %s attempt %d: %d run(s) died with their worker process, last on worker %s; running it"
                            + " again (%d allowed)",
                    trial.trialId(),
                    trial.attempt(),
                    died.size(),
                    died.get(died.size() - 1).workerId(),
                    runs.deathsAllowed(trial));
        }
        TrialOutcome outcome;
        try (TrialHeartbeat.Beating beating = heartbeat.start(trial);
                TrialRuns.Recorded recorded = runs.begin(trial)) {
            outcome = run(key, value, trial);
        }
        return outcome == TrialOutcome.STOPPED ? Outcome.STOPPED : Outcome.DONE;
    }

    /**
     * Reports a record whose processing threw an {@link Error} outside a run as a failed attempt (retryable: the
     * next attempt may fit), or sends it to the DLQ when it is not a trial at all; the record is then committed.
     */
    public void crashed(String key, String value, Throwable error) {
        TrialRequested trial;
        try {
            trial = parse(key, value);
        } catch (PoisonRecord e) {
            events.deadLetter(key, value, e.getMessage(), Topics.TRIALS);
            return;
        }
        failed(trial, describe(error), true);
    }

    /** Fetches, resumes, trains, evaluates and stores one trial; counts how it ended. */
    private TrialOutcome run(String key, String value, TrialRequested trial) {
        Path workDir = config.cacheDir().resolve("trials").resolve(trial.trialId());
        metrics.trialStarted();
        long startedNanos = System.nanoTime();
        TrialOutcome outcome = TrialOutcome.FAILED;
        try {
            TrialInputs.Prepared prepared = inputs.prepare(trial);
            List<Example> asked = asked(trial, prepared.eval());
            Map<Long, String> known = answers.known(trial.trialId());
            List<Example> missing = asked.stream()
                    .filter(q -> !known.containsKey(q.questionId()))
                    .toList();
            if (missing.isEmpty() && trial.isRung()) { // a longer prefix was answered before: nothing to compute
                rungs.announce(trial, prepared.visualTokens(), asked, known, null);
                outcome = TrialOutcome.COMPLETED;
                return outcome;
            }
            Optional<CheckpointStore.Restored> checkpoint = newestCheckpoint(trial, workDir);
            events.event(new TrialEvent.Started(
                    trial.trialId(),
                    trial.attempt(),
                    Instant.now(),
                    config.workerId(),
                    runner.device(),
                    checkpoint.map(CheckpointStore.Restored::step).orElse(0L)));
            TrialInputs.Prepared toAnswer =
                    new TrialInputs.Prepared(prepared.modelDir(), prepared.train(), missing, prepared.visualTokens());
            TrialRunner.Job job =
                    TrialRunner.Job.of(trial, toAnswer, checkpoint.map(CheckpointStore.Restored::dir), workDir);
            TrialRunner.Result result =
                    runner.run(job, faults.around(trial, new RunListener(trial, events, checkpoints, metrics, stop)));
            outcome = conclude(trial, prepared, asked, known, result, (System.nanoTime() - startedNanos) / 1e9);
        } catch (PoisonRecord e) { // only the inputs say this: the model, dataset or subset cannot be used
            LOG.warnf("trial %s sent to the DLQ: %s", trial.trialId(), e.getMessage());
            events.deadLetter(key, value, e.getMessage(), Topics.TRIALS);
            failed(trial, e.getMessage(), false);
        } catch (TrialFailure e) {
            LOG.errorf(e, "trial %s failed", trial.trialId());
            failed(trial, e.getMessage(), e.retryable());
        } catch (RuntimeException e) {
            if (StorageFailures.isTransient(e)) { // retried past worker.storage-retry.give-up-after: not a verdict
                LOG.warnf(
                        "trial %s stopped: object storage is still unavailable (%s); its record is delivered again",
                        trial.trialId(), e.getMessage());
                outcome = TrialOutcome.STOPPED;
            } else {
                LOG.errorf(e, "trial %s failed", trial.trialId());
                failed(trial, describe(e), true);
            }
        } catch (Error e) { // out of memory, a stack overflow, a missing native library: this attempt failed
            LOG.errorf(e, "trial %s failed with an error", trial.trialId());
            failed(trial, describe(e), true);
        } finally {
            metrics.trialEnded(outcome);
            metrics.trainingEnded(trial.trialId());
            metrics.idle();
            deleteQuietly(workDir);
        }
        return outcome;
    }

    /** The newest checkpoint that verifies, downloaded under {@code workDir}; empty: a fresh start. */
    private Optional<CheckpointStore.Restored> newestCheckpoint(TrialRequested trial, Path workDir) {
        Optional<CheckpointStore.Restored> restored =
                checkpoints.newestVerified(trial.trialId(), workDir.resolve("resume"));
        restored.ifPresent(r -> r.skipped().forEach(LOG::warn));
        Optional<CheckpointStore.Restored> usable = restored.filter(r -> r.step() > 0);
        usable.ifPresent(r -> LOG.infof("trial %s resumes from its checkpoint at step %d", trial.trialId(), r.step()));
        return usable;
    }

    /**
     * Stores and announces a finished run with the answers known before it (a rung's answers are kept for the next
     * one); reports a cancelled one; leaves one stopped otherwise for a resume.
     */
    private TrialOutcome conclude(
            TrialRequested trial,
            TrialInputs.Prepared prepared,
            List<Example> asked,
            Map<Long, String> known,
            TrialRunner.Result result,
            double seconds) {
        if (result instanceof TrialRunner.Result.Finished finished) {
            Map<Long, String> all = new HashMap<>(known);
            all.putAll(finished.answers());
            if (trial.isRung()) {
                answers.keep(trial.trialId(), asked, all);
                rungs.announce(trial, prepared.visualTokens(), asked, all, finished.cost());
            } else if (outputs.isDone(trial.trialId())) {
                // another worker completed it meanwhile (this one's partition moved, or a request came twice):
                // its outputs stand and were announced; this run's are dropped
                LOG.warnf(
                        "trial %s was completed by another worker while this one ran it; its outputs are kept",
                        trial.trialId());
                return TrialOutcome.DUPLICATE;
            } else {
                outputs.complete(
                        trial,
                        prepared,
                        new TrialRunner.Result.Finished(all, finished.finalLoss(), finished.steps(), finished.cost()),
                        seconds);
            }
            return TrialOutcome.COMPLETED;
        }
        TrialRunner.Result.Stopped stopped = (TrialRunner.Result.Stopped) result;
        if (stopped.reason() == StopSignal.Reason.CANCELLED) {
            events.event(new TrialEvent.Cancelled(trial.trialId(), trial.attempt(), Instant.now(), stopped.step()));
            return TrialOutcome.CANCELLED;
        }
        LOG.infof(
                "trial %s stopped at step %d (%s); another worker resumes it",
                trial.trialId(), stopped.step(), stopped.reason());
        return TrialOutcome.STOPPED;
    }

    /** The questions this request asks: the prefix of a rung's share, or the whole evaluation set. */
    private static List<Example> asked(TrialRequested trial, List<Example> eval) {
        if (!trial.isRung() || eval.isEmpty()) {
            return eval;
        }
        return eval.subList(0, SearchSettings.prefixSize(trial.evalFraction(), eval.size()));
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void failed(TrialRequested trial, String reason, boolean retryable) {
        events.event(new TrialEvent.Failed(trial.trialId(), trial.attempt(), Instant.now(), reason, retryable));
    }

    private static TrialRequested parse(String key, String value) {
        TrialRequested trial;
        try {
            trial = Json.read(value, TrialRequested.class);
        } catch (RuntimeException e) {
            throw new PoisonRecord("unparseable TrialRequested: " + e.getMessage(), e);
        }
        if (trial.trialId() == null || trial.spec() == null) {
            throw new PoisonRecord("TrialRequested without trial_id or spec");
        }
        String expected = TrialIds.of(trial.spec());
        if (!expected.equals(trial.trialId())) {
            throw new PoisonRecord(
                    "trial_id " + trial.trialId() + " does not match its spec (expected " + expected + ")");
        }
        if (key != null && !key.equals(trial.trialId())) {
            throw new PoisonRecord("record key " + key + " is not the trial id " + trial.trialId());
        }
        return trial;
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot delete " + dir, e);
        }
    }
}
