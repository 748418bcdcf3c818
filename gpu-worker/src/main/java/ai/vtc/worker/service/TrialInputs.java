package ai.vtc.worker.service;

import ai.vtc.contracts.TrialRequested;
import ai.vtc.florence2.train.Example;
import java.nio.file.Path;
import java.util.List;

/** Fetches what a trial needs from object storage into the local cache. */
public interface TrialInputs {
    /**
     * @throws PoisonRecord when the model, dataset or subset does not exist or the subset's hash differs from the
     *     trial's (no worker could ever run it)
     * @throws TrialFailure when storage cannot be read right now (retryable)
     */
    Prepared prepare(TrialRequested trial);

    /** The model folder, the examples, and how many visual tokens the language model keeps for this trial. */
    record Prepared(Path modelDir, List<Example> train, List<Example> eval, int visualTokens) {}
}
