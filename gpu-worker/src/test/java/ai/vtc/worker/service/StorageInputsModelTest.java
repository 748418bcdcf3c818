package ai.vtc.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.DatasetRef;
import ai.vtc.contracts.EvalSettings;
import ai.vtc.contracts.ModelManifest;
import ai.vtc.contracts.TrialIds;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.contracts.TrialSpec;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.worker.TestWorker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trial made for a model manifest on the real S3 server: a model replaced since the trial was submitted, or one
 * being replaced, is refused for good; a stored file that does not match its manifest fails the attempt. Workers
 * sharing the cache directory fetch the model into one sound folder; a cached file truncated or altered is fetched
 * again.
 */
class StorageInputsModelTest {
    private final ObjectStore store = TestWorker.objectStore();
    private final String model = "manifest-" + UUID.randomUUID().toString().substring(0, 8);
    private ModelManifest manifest;
    private StorageInputs inputs;

    @TempDir
    Path cache;

    @BeforeEach
    void storeModel() {
        store.ensureBucket();
        Map<String, ModelManifest.FileEntry> files = new LinkedHashMap<>();
        for (String file : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
            byte[] bytes = (file + " of " + model).getBytes(StandardCharsets.UTF_8);
            store.put(Keys.modelFile(model, file), bytes, "application/octet-stream");
            files.put(file, new ModelManifest.FileEntry(TrialIds.sha256Hex(bytes), bytes.length));
        }
        manifest = ModelManifest.of(model, files);
        store.put(Keys.modelManifest(model), manifest.toJson().getBytes(StandardCharsets.UTF_8), "application/json");
        TestWorker.Config config = new TestWorker.Config("storage-inputs-test", cache);
        inputs = new StorageInputs(store, config, new Florence2TrialRunner(config));
    }

    private TrialRequested trial(String manifestSha256) {
        TrialSpec spec = new TrialSpec(
                model,
                manifestSha256,
                new DatasetRef("no-such-dataset", "all", "val", "0".repeat(64)),
                Compression.none(),
                null,
                new EvalSettings(1, 4, 0, "<VQA>{question}", 1),
                7);
        return new TrialRequested("sweep-test", TrialIds.of(spec), spec, "0".repeat(64), 1);
    }

    @Test
    void aModelReplacedSinceTheTrialWasSubmittedIsRefused() {
        PoisonRecord refused = assertThrows(PoisonRecord.class, () -> inputs.prepare(trial("ab".repeat(32))));
        assertTrue(
                refused.getMessage().contains("was replaced: its manifest has sha256 " + manifest.sha256()),
                refused.getMessage());
        store.delete(Keys.modelManifest(model));
        PoisonRecord replacing = assertThrows(PoisonRecord.class, () -> inputs.prepare(trial(manifest.sha256())));
        assertTrue(replacing.getMessage().contains("has no manifest"), replacing.getMessage());
    }

    @Test
    void aStoredFileThatDoesNotMatchItsManifestFailsTheAttempt() {
        store.put(
                Keys.modelFile(model, "model.safetensors"),
                "other weights".getBytes(StandardCharsets.UTF_8),
                "application/octet-stream");
        TrialFailure failed = assertThrows(TrialFailure.class, () -> inputs.prepare(trial(manifest.sha256())));
        assertTrue(failed.getMessage().contains("model.safetensors has sha256 "), failed.getMessage());
        assertTrue(failed.retryable());
    }

    @Test
    void theManifestsFilesAreFetchedAndTheTrialGoesOnToItsData() throws IOException {
        // the model passes; the trial stops only at its (absent) dataset
        PoisonRecord dataset = assertThrows(PoisonRecord.class, () -> inputs.prepare(trial(manifest.sha256())));
        assertTrue(dataset.getMessage().contains("no-such-dataset"), dataset.getMessage());
        assertTrue(Files.isRegularFile(versionDir().resolve("model.safetensors")));
    }

    /** The one version folder of the model in the cache. */
    private Path versionDir() throws IOException {
        try (Stream<Path> dirs = Files.list(cache.resolve("models").resolve(model))) {
            List<Path> all = dirs.toList();
            assertEquals(1, all.size(), "one version folder and nothing left behind: " + all);
            return all.get(0);
        }
    }

    @Test
    void workersSharingTheCacheFetchTheModelConcurrentlyIntoOneSoundFolder() throws Exception {
        TestWorker.Config other = new TestWorker.Config("storage-inputs-other", cache);
        List<StorageInputs> workers = List.of(inputs, new StorageInputs(store, other, new Florence2TrialRunner(other)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Throwable>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            StorageInputs worker = workers.get(i % 2);
            runs.add(pool.submit(
                    () -> assertThrows(PoisonRecord.class, () -> worker.prepare(trial(manifest.sha256())))));
        }
        for (Future<Throwable> run : runs) {
            assertTrue(run.get(60, TimeUnit.SECONDS).getMessage().contains("no-such-dataset"));
        }
        pool.shutdown();
        assertSound(versionDir());
        System.out.printf(
                "shared model cache: %d concurrent fetches by 2 workers, version folders 1, files sound %d of %d%n",
                runs.size(), manifest.files().size(), manifest.files().size());
    }

    @Test
    void aTruncatedOrAlteredCachedModelFileIsFetchedAgain() throws Exception {
        assertThrows(PoisonRecord.class, () -> inputs.prepare(trial(manifest.sha256())));
        Path dir = versionDir();
        Files.write(dir.resolve("model.safetensors"), "model.safe".getBytes(StandardCharsets.UTF_8)); // truncated
        assertThrows(PoisonRecord.class, () -> inputs.prepare(trial(manifest.sha256())));
        assertSound(versionDir());
        Files.write(versionDir().resolve("config.json"), "{\"altered\": true}".getBytes(StandardCharsets.UTF_8));
        assertThrows(PoisonRecord.class, () -> inputs.prepare(trial(manifest.sha256())));
        assertSound(versionDir());
    }

    /** Every file of the manifest is in the folder with its sha256. */
    private void assertSound(Path dir) throws IOException {
        for (Map.Entry<String, ModelManifest.FileEntry> file : manifest.files().entrySet()) {
            assertEquals(
                    file.getValue().sha256(),
                    TrialIds.sha256Hex(Files.readAllBytes(dir.resolve(file.getKey()))),
                    file.getKey());
        }
    }
}
