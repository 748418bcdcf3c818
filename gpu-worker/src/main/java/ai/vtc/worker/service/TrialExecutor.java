package ai.vtc.worker.service;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.contracts.TrialIds;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.florence2.train.Example;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.worker.config.WorkerConfig;
import ai.vtc.worker.messaging.EventPublisher;
import ai.vtc.worker.metrics.WorkerMetrics;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs one trial from its {@code trials} record to its outcome on Kafka (DESIGN sections 3-5): re-announces a trial
 * that is already done, resumes from the newest verified checkpoint, trains and evaluates through the
 * {@link TrialRunner}, writes predictions and {@code _DONE} last, and reports every step as events.
 */
@ApplicationScoped
public class TrialExecutor {
    private static final Logger LOG = Logger.getLogger(TrialExecutor.class);

    /** What the consumer does with the record: commit it, or leave it for another worker. */
    public enum Outcome {
        DONE,
        STOPPED
    }

    private final ObjectStore store;
    private final CheckpointStore checkpoints;
    private final TrialInputs inputs;
    private final TrialRunner runner;
    private final EventPublisher events;
    private final StopSignal stop;
    private final WorkerMetrics metrics;
    private final WorkerConfig config;
    private final String workerId;

    public TrialExecutor(
            ObjectStore store,
            CheckpointStore checkpoints,
            TrialInputs inputs,
            TrialRunner runner,
            EventPublisher events,
            StopSignal stop,
            WorkerMetrics metrics,
            WorkerConfig config) {
        this.store = store;
        this.checkpoints = checkpoints;
        this.inputs = inputs;
        this.runner = runner;
        this.events = events;
        this.stop = stop;
        this.metrics = metrics;
        this.config = config;
        this.workerId = config.id().orElseGet(TrialExecutor::defaultId);
    }

    public String workerId() {
        return workerId;
    }

    /** Processes one {@code trials} record. Never throws for a bad record: it goes to the DLQ instead. */
    public Outcome process(String key, String value) {
        TrialRequested trial;
        try {
            trial = parse(key, value);
        } catch (PoisonRecord e) {
            LOG.warnf("record %s sent to the DLQ: %s", key, e.getMessage());
            events.deadLetter(key, value, e.getMessage(), ai.vtc.contracts.Topics.TRIALS);
            return Outcome.DONE;
        }
        if (store.exists(Keys.done(trial.trialId()))) {
            try {
                reannounce(trial);
            } catch (TrialFailure e) { // stored content that stays broken: report it, do not retry the record
                LOG.error(e.getMessage(), e);
                events.event(new TrialEvent.Failed(
                        trial.trialId(), trial.attempt(), Instant.now(), e.getMessage(), e.retryable()));
            }
            return Outcome.DONE;
        }
        if (stop.reasonFor(trial.trialId(), trial.attempt()) == StopSignal.Reason.CANCELLED) {
            events.event(new TrialEvent.Cancelled(trial.trialId(), trial.attempt(), Instant.now(), 0));
            return Outcome.DONE;
        }
        Path workDir = config.cacheDir().resolve("trials").resolve(trial.trialId());
        metrics.trialStarted();
        long started = System.nanoTime();
        String outcome = "failed";
        try {
            TrialInputs.Prepared prepared;
            try {
                prepared = inputs.prepare(trial);
            } catch (PoisonRecord e) {
                LOG.warnf("trial %s sent to the DLQ: %s", trial.trialId(), e.getMessage());
                events.deadLetter(key, value, e.getMessage(), ai.vtc.contracts.Topics.TRIALS);
                events.event(
                        new TrialEvent.Failed(trial.trialId(), trial.attempt(), Instant.now(), e.getMessage(), false));
                return Outcome.DONE;
            }
            Optional<CheckpointStore.Restored> restored =
                    checkpoints.newestVerified(trial.trialId(), workDir.resolve("resume"));
            long resumedFrom = restored.map(CheckpointStore.Restored::step).orElse(0L);
            restored.ifPresent(r -> r.skipped().forEach(LOG::warn));
            if (resumedFrom > 0) {
                LOG.infof("trial %s resumes from its checkpoint at step %d", trial.trialId(), resumedFrom);
            }
            events.event(new TrialEvent.Started(
                    trial.trialId(), trial.attempt(), Instant.now(), workerId, config.device(), resumedFrom));
            TrialRunner.Job job = TrialRunner.Job.of(
                    trial, prepared, restored.filter(r -> r.step() > 0).map(CheckpointStore.Restored::dir), workDir);
            TrialRunner.Result result = runner.run(job, new Listener(trial));
            if (result instanceof TrialRunner.Result.Finished finished) {
                complete(trial, prepared, finished, (System.nanoTime() - started) / 1e9);
                outcome = "completed";
                return Outcome.DONE;
            }
            TrialRunner.Result.Stopped stopped = (TrialRunner.Result.Stopped) result;
            if (stopped.reason() == StopSignal.Reason.CANCELLED) {
                events.event(new TrialEvent.Cancelled(trial.trialId(), trial.attempt(), Instant.now(), stopped.step()));
                outcome = "cancelled";
                return Outcome.DONE;
            }
            LOG.infof(
                    "trial %s stopped at step %d (%s); another worker resumes it",
                    trial.trialId(), stopped.step(), stopped.reason());
            outcome = "stopped";
            return Outcome.STOPPED;
        } catch (TrialFailure e) {
            LOG.errorf(e, "trial %s failed", trial.trialId());
            events.event(new TrialEvent.Failed(
                    trial.trialId(), trial.attempt(), Instant.now(), e.getMessage(), e.retryable()));
            return Outcome.DONE;
        } catch (RuntimeException e) {
            LOG.errorf(e, "trial %s failed", trial.trialId());
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            events.event(new TrialEvent.Failed(trial.trialId(), trial.attempt(), Instant.now(), reason, true));
            return Outcome.DONE;
        } finally {
            metrics.trialEnded(outcome);
            metrics.idle();
            deleteQuietly(workDir);
        }
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

    /** Predictions, then metrics.json, then {@code _DONE} last; then PredictionsReady, then Completed. */
    private void complete(
            TrialRequested trial, TrialInputs.Prepared prepared, TrialRunner.Result.Finished finished, double seconds) {
        String id = trial.trialId();
        ArrayNode results = Json.mapper().createArrayNode();
        for (Example question : prepared.eval()) {
            String answer = finished.answers().get(question.questionId());
            if (answer == null) {
                throw new TrialFailure("the runner gave no answer for question " + question.questionId(), false);
            }
            results.addObject().put("question_id", question.questionId()).put("answer", answer);
        }
        store.put(Keys.predictions(id), results.toString().getBytes(StandardCharsets.UTF_8), "application/json");
        ObjectNode metricsJson = Json.mapper().createObjectNode();
        metricsJson.put("trial_id", id);
        metricsJson.put("sweep_id", trial.sweepId());
        metricsJson.put("steps", finished.steps());
        if (finished.finalLoss() != null) {
            metricsJson.put("final_loss", finished.finalLoss());
        }
        metricsJson.put("questions", prepared.eval().size());
        metricsJson.put("visual_tokens", prepared.visualTokens());
        metricsJson.put("worker", workerId);
        metricsJson.set("ready", Json.mapper().valueToTree(readyMessage(trial, prepared.visualTokens())));
        store.put(
                Keys.predictionMetrics(id),
                metricsJson.toString().getBytes(StandardCharsets.UTF_8),
                "application/json");
        store.put(Keys.done(id), Instant.now().toString().getBytes(StandardCharsets.UTF_8), "text/plain");
        events.predictionsReady(readyMessage(trial, prepared.visualTokens()));
        events.event(new TrialEvent.Completed(
                id,
                trial.attempt(),
                Instant.now(),
                store.uri(Keys.predictions(id)),
                finished.finalLoss(),
                finished.steps(),
                seconds));
    }

    private PredictionsReady readyMessage(TrialRequested trial, int visualTokens) {
        return new PredictionsReady(
                trial.sweepId(),
                trial.trialId(),
                store.uri(Keys.predictions(trial.trialId())),
                trial.spec().dataset(),
                trial.spec().dataset().evalSplit(),
                trial.spec().compression(),
                visualTokens,
                trial.spec().seed());
    }

    /** A done trial is announced again from what it stored, not recomputed. */
    private void reannounce(TrialRequested trial) {
        String id = trial.trialId();
        LOG.infof("trial %s is already done; announcing its stored result again", id);
        try {
            ObjectNode stored = (ObjectNode) Json.mapper().readTree(store.get(Keys.predictionMetrics(id)));
            PredictionsReady ready = Json.mapper().treeToValue(stored.get("ready"), PredictionsReady.class);
            events.predictionsReady(new PredictionsReady(
                    trial.sweepId(),
                    id,
                    ready.predictionsUri(),
                    ready.dataset(),
                    ready.split(),
                    ready.compression(),
                    ready.visualTokens(),
                    ready.seed()));
            Double loss = stored.has("final_loss") ? stored.get("final_loss").asDouble() : null;
            events.event(new TrialEvent.Completed(
                    id,
                    trial.attempt(),
                    Instant.now(),
                    ready.predictionsUri(),
                    loss,
                    stored.path("steps").asLong(),
                    0));
        } catch (IOException | RuntimeException e) {
            throw new TrialFailure(
                    "trial " + id + " has _DONE but unreadable metrics.json: " + e.getMessage(), false, e);
        }
    }

    /** Turns runner callbacks into events, checkpoints and metrics. */
    private final class Listener implements TrialRunner.Listener {
        private final TrialRequested trial;
        private long lastStep;
        private long lastNanos = System.nanoTime();

        Listener(TrialRequested trial) {
            this.trial = trial;
        }

        @Override
        public void progress(String phase, long step, long totalSteps, Double loss, double samplesPerSecond) {
            long now = System.nanoTime();
            if (phase.equals("train") && step > lastStep) {
                metrics.steps(step - lastStep, Duration.ofNanos(now - lastNanos), samplesPerSecond);
            }
            lastStep = step;
            lastNanos = now;
            double rate = samplesPerSecond > 0 ? samplesPerSecond : 0;
            double eta =
                    rate > 0 && totalSteps > step ? (totalSteps - step) * stepsPerSecondInverse(samplesPerSecond) : 0;
            events.event(new TrialEvent.Progress(
                    trial.trialId(), trial.attempt(), Instant.now(), phase, step, totalSteps, loss, rate, eta));
        }

        private double stepsPerSecondInverse(double samplesPerSecond) {
            Integer batch =
                    trial.spec().train() == null ? null : trial.spec().train().batchSize();
            return (batch == null ? 1 : batch) / samplesPerSecond;
        }

        @Override
        public void checkpoint(long step, Path dir) {
            long t0 = System.nanoTime();
            CheckpointStore.Saved saved = checkpoints.save(trial.trialId(), step, dir);
            metrics.checkpoint(saved.bytes(), Duration.ofNanos(System.nanoTime() - t0));
            events.event(new TrialEvent.CheckpointSaved(
                    trial.trialId(),
                    trial.attempt(),
                    Instant.now(),
                    saved.uri(),
                    step,
                    saved.stateSha256(),
                    saved.bytes()));
        }

        @Override
        public StopSignal.Reason stopRequested() {
            return stop.reasonFor(trial.trialId(), trial.attempt());
        }
    }

    private static String defaultId() {
        try {
            return InetAddress.getLocalHost().getHostName() + "-"
                    + ProcessHandle.current().pid();
        } catch (IOException e) {
            return "worker-" + ProcessHandle.current().pid();
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot delete " + dir, e);
        }
    }
}
