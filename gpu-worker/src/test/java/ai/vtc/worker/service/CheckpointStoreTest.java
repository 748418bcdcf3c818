package ai.vtc.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.stack.Stack;
import ai.vtc.stack.testing.TestStack;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.storage.StorageException;
import ai.vtc.storage.StorageFailures;
import ai.vtc.storage.StorageRetry;
import ai.vtc.worker.TestWorker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints on the real S3 server: upload with checksums, resume from the newest that verifies; the server stopped
 * halfway through a resume is a storage fault, not a corrupt checkpoint.
 */
class CheckpointStoreTest {
    private final ObjectStore store = TestWorker.objectStore();
    private final CheckpointStore checkpoints = new CheckpointStore(store);

    @TempDir
    Path temp;

    private Path checkpoint(long step) throws Exception {
        Path dir = Files.createDirectories(temp.resolve("local-" + step));
        Files.writeString(dir.resolve("model.safetensors"), "weights at step " + step);
        Files.writeString(dir.resolve("optimizer.safetensors"), "moments at step " + step);
        Files.writeString(dir.resolve("state.json"), "{\"step\": " + step + ", \"rng\": [1, 2]}");
        return dir;
    }

    @Test
    void savesWithChecksumsAndRestoresTheNewest() throws Exception {
        String trial = "ckpt" + UUID.randomUUID().toString().substring(0, 8);
        CheckpointStore.Saved first = checkpoints.save(trial, 10, checkpoint(10));
        checkpoints.save(trial, 20, checkpoint(20));
        assertEquals(store.uri(Keys.checkpoint(trial, 10)), first.uri());
        assertEquals(List.of(20L, 10L), checkpoints.completeSteps(trial));
        String state = new String(store.get(Keys.checkpoint(trial, 20) + "state.json"), StandardCharsets.UTF_8);
        assertTrue(state.contains("\"model.safetensors\""), state);
        assertTrue(state.contains("\"rng\""), "the runner's own state is kept: " + state);

        CheckpointStore.Restored restored =
                checkpoints.newestVerified(trial, temp.resolve("restore")).orElseThrow();
        assertEquals(20, restored.step());
        assertEquals("weights at step 20", Files.readString(restored.dir().resolve("model.safetensors")));
        assertTrue(restored.skipped().isEmpty());
    }

    @Test
    void aCorruptNewestCheckpointFallsBackToThePreviousAndSaysSo() throws Exception {
        String trial = "ckpt" + UUID.randomUUID().toString().substring(0, 8);
        checkpoints.save(trial, 10, checkpoint(10));
        checkpoints.save(trial, 20, checkpoint(20));
        store.put(
                Keys.checkpoint(trial, 20) + "model.safetensors",
                "truncated".getBytes(StandardCharsets.UTF_8),
                "application/octet-stream");
        // An upload that died before its state.json is not even considered.
        store.put(
                Keys.checkpoint(trial, 30) + "model.safetensors",
                "partial".getBytes(StandardCharsets.UTF_8),
                "application/octet-stream");

        CheckpointStore.Restored restored =
                checkpoints.newestVerified(trial, temp.resolve("restore")).orElseThrow();
        assertEquals(10, restored.step());
        assertEquals("weights at step 10", Files.readString(restored.dir().resolve("model.safetensors")));
        assertEquals(1, restored.skipped().size());
        assertTrue(
                restored.skipped().get(0).contains("step 20"),
                restored.skipped().get(0));
        assertTrue(
                restored.skipped().get(0).contains("model.safetensors has sha256"),
                restored.skipped().get(0));
    }

    @Test
    void aStorageOutageDuringTheDownloadIsNoCorruptCheckpoint() throws Exception {
        String trial = "ckpt" + UUID.randomUUID().toString().substring(0, 8);
        checkpoints.save(trial, 10, checkpoint(10));
        Stack stack = TestStack.get();
        // the S3 server stops right after the checkpoints are listed, before their files are downloaded
        StorageRetry stopAfterListing = new StorageRetry() {
            @Override
            public <T> T call(String what, Supplier<T> operation) {
                T result = operation.get();
                if (what.startsWith("list ")) {
                    stack.stopServer("s3");
                }
                return result;
            }
        };
        try {
            StorageException outage = assertThrows(
                    StorageException.class,
                    () -> new CheckpointStore(store.withRetry(stopAfterListing))
                            .newestVerified(trial, temp.resolve("restore")));
            assertTrue(StorageFailures.isTransient(outage), outage.getMessage());
        } finally {
            stack.startServer("s3");
        }
        assertEquals(
                10,
                checkpoints
                        .newestVerified(trial, temp.resolve("again"))
                        .orElseThrow()
                        .step());
    }

    @Test
    void noCheckpointsMeansAFreshStart() {
        assertTrue(
                checkpoints.newestVerified("never-ran", temp.resolve("restore")).isEmpty());
    }
}
