package ai.vtc.florence2.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.RecordedCompression;
import ai.vtc.florence2.nn.Param;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training checkpoint is a Hugging Face model folder: it loads as a model that says how it was compressed. */
class CheckpointFolderTest {

    @Test
    void aCheckpointLoadsAsAModelFolderWithItsCompressionRecorded(@TempDir Path dir) {
        Compression pooling = Compression.learnablePool(4, 1, true);
        List<Path> checkpoints = new ArrayList<>();
        try (Florence2Pipeline trained = TrainData.pipeline(4)) {
            TrainOptions options = TrainOptions.builder()
                    .compression(pooling)
                    .batchSize(4)
                    .maxSteps(2)
                    .checkpointEverySteps(2)
                    .build();
            Trainer.train(TrainRequest.of(trained, TrainData.train(), options, dir), new TrainingListener() {
                @Override
                public void checkpoint(long step, Path checkpoint) {
                    checkpoints.add(checkpoint);
                }
            });
            Path last = checkpoints.get(checkpoints.size() - 1);
            TrainingCheckpoint.State state = TrainingCheckpoint.readState(last);
            assertEquals(
                    Set.of(
                            "config.json",
                            "model.safetensors",
                            "tokenizer.json",
                            "preprocessor_config.json",
                            "optimizer.safetensors"),
                    state.sha256().keySet(),
                    "state.json lists every other file");
            try (Florence2Pipeline loaded = Florence2Pipeline.load(last)) {
                assertEquals(
                        Optional.of(pooling),
                        RecordedCompression.of(loaded.model().config()));
                assertEquals(
                        trained.model().config().textConfig(),
                        loaded.model().config().textConfig());
                assertEquals(
                        trained.imageProcessor().height(),
                        loaded.imageProcessor().height());
                for (Param p : trained.model().parameters().params()) {
                    assertArrayEquals(
                            p.array().toFloatArray(),
                            loaded.model().parameters().param(p.name()).array().toFloatArray(),
                            p.name());
                }
                assertTrue(loaded.model().visualPoolingWeight().isPresent(), "the learnable pooling weight");
            }
        }
    }
}
