package ai.vtc.worker.service;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.DatasetRef;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.ModelManifest;
import ai.vtc.contracts.SubsetManifest;
import ai.vtc.contracts.TrialIds;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.florence2.train.Example;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.storage.StorageException;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.jboss.logging.Logger;

/**
 * Fetches a trial's model and data from object storage into the worker's cache. Datasets are never overwritten in
 * storage (the dataset service refuses to); a model may be replaced ({@code sweep models upload --replace}), so its
 * cached copy is checked against storage, and a trial made for another version of the model is refused. The cache
 * directory may be shared by several workers: every file is fetched under a unique name and renamed into place, and
 * checked against its checksum before each use ({@link CacheFiles}); a model version is a folder of its own, filled
 * under a unique name and renamed into place whole.
 */
@ApplicationScoped
public class StorageInputs implements TrialInputs {
    private static final Logger LOG = Logger.getLogger(StorageInputs.class);
    static final String TRAIN_SPLIT = "train";
    private static final String COMPLETE = ".complete";

    private final ObjectStore store;
    private final Path cache;
    private final TrialRunner runner;

    public StorageInputs(ObjectStore store, WorkerConfig config, TrialRunner runner) {
        this.store = store;
        this.cache = config.cacheDir();
        this.runner = runner;
    }

    @Override
    public Prepared prepare(TrialRequested trial) {
        try {
            Path model = model(trial.spec().model(), trial.spec().modelManifestSha256());
            DatasetRef ref = trial.spec().dataset();
            DatasetManifest dataset =
                    readJson(Keys.datasetManifest(ref.name()), DatasetManifest.class, "dataset '" + ref.name() + "'");
            String expected =
                    trial.datasetManifestSha256() != null ? trial.datasetManifestSha256() : ref.manifestSha256();
            List<Example> train = List.of(); // a training-free trial answers its questions with the stored model
            if (trial.spec().train() != null) {
                SubsetManifest subset = subset(ref.name(), ref.subset(), expected);
                train = examples(ref.name(), dataset, subset, TRAIN_SPLIT, true);
            }
            String evalExpected = ref.evalSubset() != null ? ref.evaluationManifestSha256() : expected;
            SubsetManifest evalSubset = subset(ref.name(), ref.evaluationSubset(), evalExpected);
            List<Example> eval = examples(ref.name(), dataset, evalSubset, ref.evalSplit(), false);
            return new Prepared(
                    model, train, eval, runner.visualTokens(model, trial.spec().compression()));
        } catch (StorageException e) {
            throw new TrialFailure("cannot read the trial's inputs: " + e.getMessage(), true, e);
        } catch (IOException e) {
            throw new TrialFailure("cannot cache the trial's inputs: " + e.getMessage(), true, e);
        }
    }

    /** A subset's manifest, refused when its hash is not the one the trial was made for. */
    private SubsetManifest subset(String dataset, String name, String expectedSha256) {
        String what = "subset '" + name + "' of dataset '" + dataset + "'";
        SubsetManifest subset = readJson(Keys.subset(dataset, name), SubsetManifest.class, what);
        if (expectedSha256 != null && !expectedSha256.equals(subset.sha256())) {
            throw new PoisonRecord(
                    what + " has sha256 " + subset.sha256() + " but the trial was made for " + expectedSha256);
        }
        return subset;
    }

    /**
     * The model folder, downloaded once per version: {@code models/<model>/<version>/}, the version named after the
     * fingerprints (ETag, size, time) of the model's files in storage, so that a model uploaded again under the same
     * name is fetched into a new folder and a folder in use is never replaced. The folder is filled under a unique name
     * and renamed into place whole, with {@code .complete} listing each file's sha256; a cached folder is used only
     * when every file still matches (a truncated or altered one is fetched again). A trial made for a model manifest
     * ({@code expectedManifest}, the sha256 the scheduler put into its spec) gets exactly the files of that manifest,
     * each checked against its sha256, and is refused when the model was replaced since.
     */
    private Path model(String name, String expectedManifest) throws IOException {
        Path root = cache.resolve("models").resolve(Keys.name("model", name));
        ModelManifest manifest = expectedManifest == null ? null : manifest(name, expectedManifest);
        List<String> keys = manifest != null
                ? manifest.files().keySet().stream()
                        .map(file -> Keys.modelFile(name, file))
                        .toList()
                : store.list(Keys.model(name)).stream()
                        .filter(key -> !key.substring(Keys.model(name).length()).contains("/"))
                        .toList();
        if (keys.isEmpty()) {
            throw new PoisonRecord("unknown model '" + name + "': nothing under " + store.uri(Keys.model(name)));
        }
        StringBuilder fingerprints = new StringBuilder();
        for (String key : keys) {
            fingerprints
                    .append(key)
                    .append(' ')
                    .append(store.fingerprint(key).orElse("gone"))
                    .append('\n');
        }
        Path dir = root.resolve(TrialIds.sha256Hex(fingerprints.toString().getBytes(StandardCharsets.UTF_8))
                .substring(0, 16));
        if (intact(dir)) {
            return dir;
        }
        if (Files.exists(dir)) {
            LOG.warnf("cached model %s in %s does not match its checksums; fetching it again", name, dir);
            discard(dir);
        }
        Files.createDirectories(root);
        Path partial = CacheFiles.unique(dir, ".partial");
        Files.createDirectory(partial);
        StringBuilder sums = new StringBuilder();
        try {
            for (String key : keys) {
                String file = key.substring(Keys.model(name).length());
                Path target = partial.resolve(Keys.name("model file", file));
                store.download(key, target);
                String actual = CheckpointStore.sha256(target);
                if (manifest != null) {
                    String expected = manifest.files().get(file).sha256();
                    if (!actual.equals(expected)) {
                        throw new TrialFailure(
                                "model file " + key + " has sha256 " + actual + ", its manifest says " + expected,
                                true);
                    }
                }
                sums.append(actual).append("  ").append(file).append('\n');
            }
            Files.writeString(partial.resolve(COMPLETE), sums.toString());
            try {
                Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
                // another worker sharing the cache finished first (the folder is there, not empty): use its copy
                if (!intact(dir)) {
                    throw new TrialFailure(
                            "cannot put model " + name + " into the cache at " + dir + ": " + e.getMessage(), true, e);
                }
            }
        } finally {
            deleteTree(partial);
        }
        LOG.infof("cached model %s (%d files) in %s", name, keys.size(), dir);
        return dir;
    }

    /** Whether a model folder is complete and each file listed in its {@code .complete} matches its sha256. */
    private static boolean intact(Path dir) {
        Path complete = dir.resolve(COMPLETE);
        try {
            if (!Files.isRegularFile(complete)) {
                return false;
            }
            List<String> lines = Files.readAllLines(complete, StandardCharsets.UTF_8);
            for (String line : lines) {
                int gap = line.indexOf("  ");
                if (gap < 0) {
                    return false;
                }
                Path file = dir.resolve(Keys.name("model file", line.substring(gap + 2)));
                if (!Files.isRegularFile(file) || !CheckpointStore.sha256(file).equals(line.substring(0, gap))) {
                    return false;
                }
            }
            return !lines.isEmpty();
        } catch (IOException | StorageException e) {
            return false;
        }
    }

    /** Moves a broken folder out of the way in one step (another worker may be looking at it), then deletes it. */
    private static void discard(Path dir) throws IOException {
        Path aside = CacheFiles.unique(dir, ".discarded");
        try {
            Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return; // another worker moved it already
        }
        deleteTree(aside);
    }

    /** The model's stored manifest, refused (for good) when it is not the one the trial was made for. */
    private ModelManifest manifest(String name, String expectedSha256) {
        String key = Keys.modelManifest(name);
        if (!store.exists(key)) {
            throw new PoisonRecord("model '" + name + "' has no manifest (it is being replaced, or was stored again"
                    + " without one) but the trial was made for manifest " + expectedSha256
                    + "; submit the sweep again");
        }
        ModelManifest manifest = ModelManifest.read(new String(store.get(key), StandardCharsets.UTF_8), key);
        if (!manifest.sha256().equals(expectedSha256)) {
            throw new PoisonRecord("model '" + name + "' was replaced: its manifest has sha256 " + manifest.sha256()
                    + " but the trial was made for " + expectedSha256 + "; submit the sweep again for new trials");
        }
        return manifest;
    }

    private List<Example> examples(
            String name, DatasetManifest dataset, SubsetManifest subset, String split, boolean withAnswers)
            throws IOException {
        DatasetManifest.Split info = dataset.splits().get(split);
        if (info == null) {
            throw new PoisonRecord("dataset '" + name + "' has no split '" + split + "' (has "
                    + dataset.splits().keySet() + ")");
        }
        List<Long> ids;
        try {
            ids = subset.ids(split);
        } catch (IllegalArgumentException e) {
            throw new PoisonRecord(e.getMessage());
        }
        Path dir = Files.createDirectories(
                cache.resolve("datasets").resolve(Keys.name("dataset", name)).resolve(split));
        VqaQuestions questions = VqaQuestions.read(cached(Keys.questions(name, split), dir.resolve("questions.json")));
        VqaAnnotations annotations = withAnswers
                ? VqaAnnotations.read(cached(Keys.annotations(name, split), dir.resolve("annotations.json")))
                : null;
        Path images = Files.createDirectories(dir.resolve("images"));
        List<Example> examples = new ArrayList<>(ids.size());
        for (long id : ids) {
            int q = questions.indexOf(id);
            if (q < 0) {
                throw new PoisonRecord("subset '" + subset.name() + "' names question " + id + ", which split '" + split
                        + "' of '" + name + "' does not have");
            }
            String answer = null;
            if (annotations != null) {
                int a = annotations.indexOf(id);
                if (a < 0) {
                    throw new PoisonRecord("question " + id + " of '" + name + "/" + split + "' has no annotation");
                }
                answer = annotations.multipleChoiceAnswer(a);
            }
            String file = info.imageFileName(questions.imageId(q));
            examples.add(new Example(id, images.resolve(file), questions.question(q), answer));
        }
        downloadImages(name, examples);
        return examples;
    }

    private void downloadImages(String dataset, List<Example> examples) {
        List<Path> missing = examples.stream()
                .map(Example::image)
                .distinct()
                .filter(p -> !CacheFiles.verified(p))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        LOG.infof("downloading %d images of %s", missing.size(), dataset);
        ForkJoinPool pool = new ForkJoinPool(8);
        try {
            pool.submit(() -> missing.parallelStream().forEach(p -> {
                        try {
                            CacheFiles.fetch(
                                    store, Keys.image(dataset, p.getFileName().toString()), p);
                        } catch (IOException e) {
                            throw new StorageException("cannot cache image " + p + ": " + e.getMessage(), e);
                        }
                    }))
                    .join();
        } finally {
            pool.shutdown();
        }
    }

    private Path cached(String key, Path local) throws IOException {
        return CacheFiles.fetch(store, key, local);
    }

    private <T> T readJson(String key, Class<T> type, String what) {
        if (!store.exists(key)) {
            throw new PoisonRecord("unknown " + what + ": " + store.uri(key) + " does not exist");
        }
        try {
            return Json.read(new String(store.get(key), StandardCharsets.UTF_8), type);
        } catch (IllegalArgumentException e) {
            throw new PoisonRecord(what + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
