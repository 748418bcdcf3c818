package ai.vtc.worker.service;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trial made for a model manifest on the real S3 server: a model replaced since the trial was submitted, or one
 * being replaced, is refused for good; a stored file that does not match its manifest fails the attempt.
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
    void theManifestsFilesAreFetchedAndTheTrialGoesOnToItsData() {
        // the model passes; the trial stops only at its (absent) dataset
        PoisonRecord dataset = assertThrows(PoisonRecord.class, () -> inputs.prepare(trial(manifest.sha256())));
        assertTrue(dataset.getMessage().contains("no-such-dataset"), dataset.getMessage());
        assertTrue(cache.resolve("models")
                .resolve(model)
                .resolve("model.safetensors")
                .toFile()
                .isFile());
    }
}
