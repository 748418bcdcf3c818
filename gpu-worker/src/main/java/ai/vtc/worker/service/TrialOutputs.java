package ai.vtc.worker.service;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.contracts.TrialMetrics;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.florence2.train.Example;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.storage.StorageFailures;
import ai.vtc.vqa.VqaResults;
import ai.vtc.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * What a finished trial leaves in object storage and announces: {@code predictions/<trial>/predictions.json} (VQAv2
 * results, written by {@link VqaResults} as the evaluator reads them), {@code metrics.json} ({@link TrialMetrics})
 * and {@code _DONE} last; then {@link PredictionsReady} and {@code completed}. A trial with {@code _DONE} is final: a
 * later delivery is announced again from {@code metrics.json}, never recomputed.
 */
@ApplicationScoped
public class TrialOutputs {
    private static final Logger LOG = Logger.getLogger(TrialOutputs.class);

    private final ObjectStore store;
    private final EventSink events;
    private final String workerId;

    public TrialOutputs(ObjectStore store, EventSink events, WorkerConfig config) {
        this.store = store;
        this.events = events;
        this.workerId = config.workerId();
    }

    /** Whether the trial's outputs are complete ({@code _DONE} exists). */
    public boolean isDone(String trialId) {
        return store.exists(Keys.done(trialId));
    }

    /**
     * Stores the trial's outputs, {@code _DONE} last, then announces them.
     *
     * @throws TrialFailure (not retryable) when the runner left an evaluation question unanswered
     */
    public void complete(
            TrialRequested trial, TrialInputs.Prepared prepared, TrialRunner.Result.Finished finished, double seconds) {
        String id = trial.trialId();
        store.put(Keys.predictions(id), predictions(prepared.eval(), finished.answers()), "application/json");
        PredictionsReady ready =
                PredictionsReady.of(trial, store.uri(Keys.predictions(id)), prepared.visualTokens(), finished.cost());
        TrialMetrics metrics = new TrialMetrics(
                id,
                trial.sweepId(),
                finished.steps(),
                finished.finalLoss(),
                prepared.eval().size(),
                prepared.visualTokens(),
                workerId,
                ready);
        store.put(Keys.predictionMetrics(id), Json.write(metrics).getBytes(StandardCharsets.UTF_8), "application/json");
        store.put(Keys.done(id), Instant.now().toString().getBytes(StandardCharsets.UTF_8), "text/plain");
        events.predictionsReady(ready);
        events.event(new TrialEvent.Completed(
                id,
                trial.attempt(),
                Instant.now(),
                ready.predictionsUri(),
                finished.finalLoss(),
                finished.steps(),
                seconds,
                finished.cost()));
    }

    /**
     * Announces a done trial again from its {@code metrics.json} ({@code PredictionsReady} for this delivery's sweep,
     * then {@code completed}), so consumers that missed the first announcement get it.
     *
     * @throws TrialFailure (not retryable) when {@code metrics.json} cannot be read: it stays broken on every retry
     */
    public void reannounce(TrialRequested trial) {
        String id = trial.trialId();
        LOG.infof("trial %s is already done; announcing its stored result again", id);
        TrialMetrics stored = storedMetrics(id);
        PredictionsReady ready = stored.ready().forSweep(trial.sweepId());
        events.predictionsReady(ready);
        events.event(new TrialEvent.Completed(
                id,
                trial.attempt(),
                Instant.now(),
                ready.predictionsUri(),
                stored.finalLoss(),
                stored.steps(),
                0,
                ready.cost()));
    }

    private TrialMetrics storedMetrics(String id) {
        TrialMetrics stored;
        try {
            stored = Json.read(
                    new String(store.get(Keys.predictionMetrics(id)), StandardCharsets.UTF_8), TrialMetrics.class);
        } catch (RuntimeException e) {
            if (StorageFailures.isTransient(e)) { // an outage that outlasted the retries, not a broken file
                throw e;
            }
            throw new TrialFailure(
                    "trial " + id + " has _DONE but unreadable metrics.json: " + e.getMessage(), false, e);
        }
        if (stored == null || stored.ready() == null) {
            throw new TrialFailure(
                    "trial " + id + " has _DONE but unreadable metrics.json: it holds no \"ready\" message", false);
        }
        return stored;
    }

    /** The answers in the order of the questions, as a VQAv2 results file. */
    static byte[] predictions(List<Example> questions, Map<Long, String> answers) {
        VqaResults.Builder results = VqaResults.builder();
        for (Example question : questions) {
            String answer = answers.get(question.questionId());
            if (answer == null) {
                throw new TrialFailure("the runner gave no answer for question " + question.questionId(), false);
            }
            results.add(question.questionId(), answer);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            results.build().write(out);
        } catch (IOException e) { // a byte array does not fail; the signature is the file writer's
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
