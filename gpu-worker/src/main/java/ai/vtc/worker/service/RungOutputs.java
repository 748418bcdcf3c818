package ai.vtc.worker.service;

import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.TrialCost;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.florence2.train.Example;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * What a rung of a Pareto race leaves and announces: the answers of the evaluation set's prefix in
 * {@code predictions/<trial>/rung-<questions>.json} and a {@link PredictionsReady} with the rung's share. Unlike a
 * finished trial it writes no {@code _DONE} and no {@code completed} event: the trial goes on when the scheduler asks
 * for the next share.
 */
@ApplicationScoped
public class RungOutputs {
    private final ObjectStore store;
    private final EventSink events;

    public RungOutputs(ObjectStore store, EventSink events) {
        this.store = store;
        this.events = events;
    }

    /**
     * Stores and announces the answers of {@code prefix}.
     *
     * @throws TrialFailure (not retryable) when a question of the prefix has no answer
     */
    public void announce(
            TrialRequested trial, int visualTokens, List<Example> prefix, Map<Long, String> answers, TrialCost cost) {
        String key = Keys.rungPredictions(trial.trialId(), prefix.size());
        store.put(key, TrialOutputs.predictions(prefix, answers), "application/json");
        events.predictionsReady(PredictionsReady.of(trial, store.uri(key), visualTokens, cost));
    }
}
