package ai.vtc.storage;

import java.util.regex.Pattern;

/**
 * The object-storage layout (docs/architecture.md, "Object-storage layout") and the only way keys are made. Every name
 * that comes from outside (dataset, subset, trial, file names) is checked: no {@code ..}, no absolute paths, no control
 * characters, so that input can never address another part of the bucket or a local file.
 */
public final class Keys {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Keys() {}

    /** A single path segment such as a dataset, subset, model or trial name; throws when unsafe. */
    public static String name(String what, String value) {
        if (value == null || !NAME.matcher(value).matches() || value.contains("..")) {
            throw new StorageException(what + " '" + value
                    + "' is not a valid name: use letters, digits, '.', '_' and '-' (at most 128, no '..')");
        }
        return value;
    }

    /** Checks a whole key: relative, no empty, '.' or '..' segments, no backslashes or control characters. */
    public static String check(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.length() > 1024) {
            throw new StorageException("invalid object key '" + key + "'");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new StorageException("invalid object key '" + key + "': empty, '.' or '..' segment");
            }
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new StorageException("invalid object key '" + key + "': control character");
            }
        }
        return key;
    }

    public static String dataset(String dataset) {
        return "datasets/" + name("dataset", dataset) + "/";
    }

    /** The dataset's manifest, written last: a dataset without it is not visible. */
    public static String datasetManifest(String dataset) {
        return dataset(dataset) + "manifest.json";
    }

    public static String questions(String dataset, String split) {
        return dataset(dataset) + name("split", split) + "/questions.json";
    }

    public static String annotations(String dataset, String split) {
        return dataset(dataset) + name("split", split) + "/annotations.json";
    }

    public static String image(String dataset, String fileName) {
        return dataset(dataset) + "images/" + name("image file", fileName);
    }

    public static String subset(String dataset, String subset) {
        return dataset(dataset) + "subsets/" + name("subset", subset) + ".json";
    }

    public static String model(String model) {
        return "models/" + name("model", model) + "/";
    }

    /** A file of a model folder, {@code models/<model>/<file>}. */
    public static String modelFile(String model, String file) {
        return model(model) + name("model file", file);
    }

    /** The model's manifest (the sha256 of every file), written after the files: a model upload is complete with it. */
    public static String modelManifest(String model) {
        return model(model) + "manifest.json";
    }

    /** Present while a model upload runs (or after one that stopped halfway); removed when the manifest is written. */
    public static String modelUpload(String model) {
        return model(model) + "upload.json";
    }

    public static String checkpoints(String trialId) {
        return "checkpoints/" + name("trial", trialId) + "/";
    }

    public static String checkpoint(String trialId, long step) {
        return checkpoints(trialId) + "step-" + step + "/";
    }

    /** What the model answered for a fixed handful of training questions during training (sample_every_n_steps). */
    public static String trainingSamples(String trialId) {
        return checkpoints(trialId) + "samples.json";
    }

    public static String predictions(String trialId) {
        return "predictions/" + name("trial", trialId) + "/predictions.json";
    }

    public static String predictionMetrics(String trialId) {
        return "predictions/" + name("trial", trialId) + "/metrics.json";
    }

    /**
     * The answers a trial gave on the rungs of a Pareto race so far (VQAv2 results, the longest prefix answered): the
     * next rung and the whole set answer only the questions beyond it.
     */
    public static String answered(String trialId) {
        return "predictions/" + name("trial", trialId) + "/answered.json";
    }

    /** The predictions of a rung of a Pareto race: the first {@code questions} questions of the evaluation set. */
    public static String rungPredictions(String trialId, int questions) {
        return "predictions/" + name("trial", trialId) + "/rung-" + questions + ".json";
    }

    /** Written last: a trial is done when this exists. */
    public static String done(String trialId) {
        return "predictions/" + name("trial", trialId) + "/_DONE";
    }

    /** Which worker runs the trial now and until when its lease holds; renewed with each heartbeat. */
    public static String lease(String trialId) {
        return "leases/" + name("trial", trialId) + ".json";
    }

    /** The runs of one attempt of a trial that began and have not ended (yet): a run killed with its process stays. */
    public static String runs(String trialId, int attempt) {
        return "runs/" + name("trial", trialId) + "/attempt-" + attempt + "/";
    }

    /** One run of an attempt, written before it starts and deleted when it ends, however it ends. */
    public static String run(String trialId, int attempt, String workerId, long startedMillis) {
        return runs(trialId, attempt) + name("worker", workerId) + "-" + startedMillis + ".json";
    }
}
