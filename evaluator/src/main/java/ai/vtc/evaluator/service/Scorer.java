package ai.vtc.evaluator.service;

import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.SearchSettings;
import ai.vtc.contracts.SubsetManifest;
import ai.vtc.evaluator.config.EvaluatorConfig;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.storage.StorageException;
import ai.vtc.vqa.VqaAccuracy;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaEvaluator;
import ai.vtc.vqa.VqaResults;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Computes the official VQAv2 accuracy of a trial's predictions on its evaluation subset ({@code eval_subset}, else the
 * training subset) of the evaluation split, with the
 * {@code vqa} library. Anything that makes the predictions unusable is a {@link EvaluationProblem} whose message is
 * shown to the researcher.
 */
@ApplicationScoped
public class Scorer {
    private final ObjectStore store;
    private final Map<String, VqaAnnotations> splits;

    public Scorer(ObjectStore store, EvaluatorConfig config) {
        this.store = store;
        int capacity = config.cachedSplits();
        this.splits = new LinkedHashMap<>(4, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VqaAnnotations> eldest) {
                return size() > capacity;
            }
        };
    }

    public VqaAccuracy score(PredictionsReady ready) {
        String dataset = ready.dataset().name();
        SubsetManifest subset = subset(
                dataset, ready.dataset().evaluationSubset(), ready.dataset().evaluationManifestSha256());
        long[] ids = subset.questionIds(ready.split());
        if (ready.isRung()) { // a rung of a Pareto race answers the prefix of its share, the same for every trial
            ids = Arrays.copyOf(ids, SearchSettings.prefixSize(ready.evalFraction(), ids.length));
        }
        VqaAnnotations annotations;
        try {
            annotations = annotations(dataset, ready.split()).select(ids);
        } catch (IllegalArgumentException e) {
            throw new EvaluationProblem("subset " + subset.name() + " does not match the annotations of " + dataset
                    + "/" + ready.split() + ": " + e.getMessage());
        }
        VqaResults results = predictions(ready.predictionsUri());
        try {
            return VqaEvaluator.evaluate(annotations, results);
        } catch (IllegalArgumentException e) {
            throw new EvaluationProblem("the predictions do not match subset " + subset.name() + " of " + dataset + "/"
                    + ready.split() + ": " + e.getMessage());
        }
    }

    private SubsetManifest subset(String dataset, String name, String expectedSha256) {
        SubsetManifest manifest;
        try {
            String key = Keys.subset(dataset, name);
            manifest = SubsetManifest.read(new String(store.get(key), StandardCharsets.UTF_8), store.uri(key));
        } catch (StorageException | IllegalArgumentException e) {
            throw new EvaluationProblem(
                    "cannot read subset " + name + " of dataset " + dataset + ": " + e.getMessage());
        }
        if (expectedSha256 != null && !expectedSha256.equals(manifest.sha256())) {
            throw new EvaluationProblem(
                    "subset " + name + " of " + dataset + " has changed since the trial ran (sha256 "
                            + manifest.sha256() + ", the trial used " + expectedSha256 + ")");
        }
        return manifest;
    }

    private VqaAnnotations annotations(String dataset, String split) {
        String key = Keys.annotations(dataset, split);
        synchronized (splits) {
            VqaAnnotations cached = splits.get(key);
            if (cached != null) {
                return cached;
            }
        }
        try (InputStream in = store.open(key)) {
            VqaAnnotations read = VqaAnnotations.read(in, store.uri(key));
            synchronized (splits) {
                splits.put(key, read);
            }
            return read;
        } catch (IOException | StorageException e) {
            throw new EvaluationProblem("cannot read the annotations " + store.uri(key) + ": " + e.getMessage());
        }
    }

    private VqaResults predictions(String uri) {
        try (InputStream in = store.open(store.keyOf(uri))) {
            return VqaResults.read(in, uri);
        } catch (IOException | StorageException e) {
            throw new EvaluationProblem("cannot read the predictions " + uri + ": " + e.getMessage());
        }
    }
}
