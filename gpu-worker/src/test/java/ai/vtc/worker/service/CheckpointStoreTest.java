package ai.vtc.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.worker.TestWorker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints on the real S3 server: upload with checksums, resume from the newest that verifies. */
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
    void noCheckpointsMeansAFreshStart() {
        assertTrue(
                checkpoints.newestVerified("never-ran", temp.resolve("restore")).isEmpty());
    }
}
