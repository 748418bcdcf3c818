package ai.vtc.worker.service;

import ai.vtc.florence2.train.Example;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.storage.StorageFailures;
import ai.vtc.vqa.VqaResult;
import ai.vtc.vqa.VqaResults;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The answers a trial already gave, so that a rung of a Pareto race (and the whole set after it) answers only the
 * questions beyond the prefix answered before: the predictions of a done trial, else those kept from its rungs in
 * {@code predictions/<trial>/answered.json}. The answers of a trial are deterministic, so a kept answer is the answer a
 * new run would give.
 */
@ApplicationScoped
public class AnswerStore {
    private static final Logger LOG = Logger.getLogger(AnswerStore.class);

    private final ObjectStore store;

    public AnswerStore(ObjectStore store) {
        this.store = store;
    }

    /** Answers by question id; empty when the trial answered nothing yet (or what it kept cannot be read). */
    public Map<Long, String> known(String trialId) {
        String key = store.exists(Keys.done(trialId)) ? Keys.predictions(trialId) : Keys.answered(trialId);
        if (!store.exists(key)) {
            return Map.of();
        }
        try {
            VqaResults results = VqaResults.read(new ByteArrayInputStream(store.get(key)), key);
            Map<Long, String> answers = new HashMap<>();
            for (VqaResult result : results.asList()) {
                answers.put(result.questionId(), result.answer());
            }
            return answers;
        } catch (IOException | RuntimeException e) { // recomputing is always correct, only slower
            if (e instanceof RuntimeException failure && StorageFailures.isTransient(failure)) {
                throw failure; // an outage that outlasted the retries: the next try reads them
            }
            LOG.warnf("trial %s: kept answers %s are unreadable, answering again: %s", trialId, key, e.getMessage());
            return Map.of();
        }
    }

    /** Keeps the answers of {@code questions} (a prefix of the evaluation set) for the next rung. */
    public void keep(String trialId, List<Example> questions, Map<Long, String> answers) {
        store.put(Keys.answered(trialId), TrialOutputs.predictions(questions, answers), "application/json");
    }
}
