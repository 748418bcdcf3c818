package ai.vtc.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

    /**
     * Every vision feature computed with one model's weights, {@code features/<model weights id>/}: what goes when
     * those weights are replaced.
     */
    public static String features(String modelWeightsId) {
        return "features/" + sha256Name("model weights id", modelWeightsId) + "/";
    }

    /**
     * One image's vision-tower output, {@code features/<model weights id>/<dataset>/<H>x<W>/<precision>/<image
     * file>.bin}: computed once by the first trial that needs it and read by every other trial of that model, dataset,
     * image size and precision whose vision tower is frozen (gpu-worker's {@code SharedVisionFeatures}).
     *
     * @param modelWeightsId {@link #modelWeightsId} of the model's files, never its name
     */
    public static String visionFeatures(
            String modelWeightsId, String dataset, int height, int width, String precision, String imageFile) {
        if (height <= 0 || width <= 0) {
            throw new StorageException("image size " + height + "x" + width + " is not positive");
        }
        return features(modelWeightsId) + name("dataset", dataset) + "/" + height + "x" + width + "/"
                + name("precision", precision) + "/" + name("image file", imageFile) + ".bin";
    }

    /** Whether {@code key} is a vision feature of dataset {@code dataset} (under any model). */
    public static boolean isVisionFeatureOf(String key, String dataset) {
        String[] parts = key.split("/");
        return parts.length == 6 && parts[0].equals("features") && parts[2].equals(dataset);
    }

    /**
     * The identity of a model's weights for {@link #features}: the sha256 of the lines {@code <file> <sha256>} of its
     * {@code config.json}, {@code model.safetensors} and {@code preprocessor_config.json} (sorted by file, those it has;
     * the processor's normalisation changes the pixels, so it is part of it). The same files always give the same id,
     * under any name; other weights never do. Computable from a model manifest's entries as from the files themselves.
     */
    public static String modelWeightsId(Map<String, String> sha256ByFile) {
        StringBuilder lines = new StringBuilder();
        for (String file : new TreeSet<>(sha256ByFile.keySet())) {
            if (WEIGHT_FILES.contains(file)) {
                lines.append(file).append(' ').append(sha256ByFile.get(file)).append('\n');
            }
        }
        if (!lines.toString().contains("model.safetensors ")) {
            throw new StorageException(
                    "a model weights id needs the sha256 of model.safetensors, got files " + sha256ByFile.keySet());
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(lines.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The files of a model folder whose content decides its vision features. */
    public static final Set<String> WEIGHT_FILES =
            Set.of("config.json", "model.safetensors", "preprocessor_config.json");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private static String sha256Name(String what, String value) {
        if (value == null || !SHA256.matcher(value).matches()) {
            throw new StorageException(what + " '" + value + "' is not a sha256 (64 lowercase hex digits)");
        }
        return value;
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
