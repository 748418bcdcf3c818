package ai.vtc.evaluator.service;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.DatasetTask;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.SubsetManifest;
import ai.vtc.evaluator.config.EvaluatorConfig;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.storage.StorageException;
import ai.vtc.vqa.AnlsEvaluator;
import ai.vtc.vqa.VqaAccuracy;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaEvaluator;
import ai.vtc.vqa.VqaResults;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores a trial's predictions on its evaluation subset ({@code eval_subset}, else the training subset) of the
 * evaluation split with the {@code vqa} library, by the metric of the dataset's task: the official VQAv2 accuracy, or
 * for DocVQA the official ANLS in percent (100 x ANLS overall and per question, so intervals and paired comparisons
 * work on it as on accuracy). The task is the trial's {@code dataset.task}, else the dataset manifest's, else VQA.
 * Anything that makes the predictions unusable is a {@link EvaluationProblem} whose message is shown to the
 * researcher.
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

    /**
     * A trial's score.
     *
     * @param metric {@link DatasetTask#metric()} of the dataset's task
     * @param scores overall, per type and per question, in percent
     */
    public record Scored(String metric, VqaAccuracy scores) {}

    public Scored score(PredictionsReady ready) {
        String dataset = ready.dataset().name();
        DatasetTask task = ready.dataset().task() != null ? ready.dataset().task() : manifestTask(dataset);
        SubsetManifest subset = subset(
                dataset, ready.dataset().evaluationSubset(), ready.dataset().evaluationManifestSha256());
        long[] ids = subset.questionIds(ready.split());
        VqaAnnotations annotations;
        try {
            annotations = annotations(dataset, ready.split()).select(ids);
        } catch (IllegalArgumentException e) {
            throw new EvaluationProblem("subset " + subset.name() + " does not match the annotations of " + dataset
                    + "/" + ready.split() + ": " + e.getMessage());
        }
        VqaResults results = predictions(ready.predictionsUri());
        try {
            VqaAccuracy scores = task == DatasetTask.DOCVQA
                    ? AnlsEvaluator.evaluate(annotations, results).anlsPercent()
                    : VqaEvaluator.evaluate(annotations, results);
            return new Scored(task.metric(), scores);
        } catch (IllegalArgumentException e) {
            throw new EvaluationProblem("the predictions do not match subset " + subset.name() + " of " + dataset + "/"
                    + ready.split() + ": " + e.getMessage());
        }
    }

    /**
     * The task the dataset's manifest names; VQA for manifests from before tasks existed and for data put into the
     * dataset layout without one (as before tasks existed, the evaluator needs only the annotations and subsets).
     */
    private DatasetTask manifestTask(String dataset) {
        String key = Keys.datasetManifest(dataset);
        try {
            if (!store.exists(key)) {
                return DatasetTask.VQA;
            }
            return Json.mapper()
                    .readValue(store.get(key), DatasetManifest.class)
                    .datasetTask();
        } catch (StorageException | IOException | IllegalArgumentException e) {
            throw new EvaluationProblem("cannot read the manifest of dataset " + dataset + " (" + store.uri(key)
                    + ") for its task: " + e.getMessage());
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
