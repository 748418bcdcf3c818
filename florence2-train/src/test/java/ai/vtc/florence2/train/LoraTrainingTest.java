package ai.vtc.florence2.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.lora.LoraAdapters;
import ai.vtc.florence2.lora.LoraConfig;
import ai.vtc.florence2.lora.PeftAdapterFolder;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA fine-tuning on the tiny model: what trains, merging, exact resume, and the samples taken while training. */
class LoraTrainingTest {

    private static TrainOptions.Builder loraOptions() {
        return TrainOptions.builder()
                .compression(Compression.learnablePool(4, 1, false))
                .lora(LoraDefaults.of(2, 8.0, 0.25, null, false))
                .learningRate(1e-2)
                .batchSize(3)
                .maxSteps(4)
                .seed(5)
                .checkpointEverySteps(2);
    }

    @Test
    void onlyTheAdaptersAndThePoolingWeightTrainAndCheckpointsHoldOnlyThem(@TempDir Path dir) {
        try (Florence2Pipeline p = TrainData.pipeline(2)) {
            Map<String, float[]> before = weights(p.model());
            List<Path> checkpoints = new ArrayList<>();
            TrainingListener stopAtThree = new TrainingListener() {
                int checks;

                @Override
                public boolean stopRequested() {
                    return checks++ == 3;
                }

                @Override
                public void checkpoint(long step, Path checkpointDir) {
                    checkpoints.add(checkpointDir);
                }
            };
            TrainResult r = Trainer.train(
                    TrainRequest.of(p, TrainData.train(), loraOptions().build(), dir), stopAtThree);
            assertEquals(TrainResult.Status.STOPPED, r.status());
            Map<String, float[]> after = weights(p.model());
            for (Map.Entry<String, float[]> e : before.entrySet()) {
                if (!e.getKey().equals(Florence2Model.VISUAL_POOLING_WEIGHT)) {
                    assertArrayEquals(e.getValue(), after.get(e.getKey()), e.getKey() + " is frozen");
                }
            }
            assertFalse(java.util.Arrays.equals(
                    new float[] {0.25f, 0.25f, 0.25f, 0.25f}, after.get(Florence2Model.VISUAL_POOLING_WEIGHT)));
            assertTrue(p.model().parameters().linears().values().stream().allMatch(l -> l.adapter() == null));
            try (SafeTensorsFile model = SafeTensorsFile.open(r.lastCheckpoint().resolve(TrainingCheckpoint.MODEL))) {
                Set<String> keys = model.tensors().keySet();
                assertTrue(keys.contains(Florence2Model.VISUAL_POOLING_WEIGHT));
                assertTrue(keys.stream()
                        .filter(k -> !k.equals(Florence2Model.VISUAL_POOLING_WEIGHT))
                        .allMatch(k -> k.startsWith(LoraAdapters.KEY_PREFIX)
                                && (k.endsWith(".lora_A.weight") || k.endsWith(".lora_B.weight"))));
                float[] b = model.readFloats(LoraAdapters.KEY_PREFIX
                        + "language_model.model.decoder.layers.0.self_attn.q_proj.lora_B.weight");
                assertTrue(maxAbs(b) > 0, "B has moved from zero");
            }
            assertTrue(Files.isRegularFile(r.lastCheckpoint().resolve(PeftAdapterFolder.CONFIG)));
            assertTrue(Files.isRegularFile(r.lastCheckpoint().resolve(PeftAdapterFolder.POOLING)));
            assertEquals(
                    Set.of(
                            TrainingCheckpoint.MODEL,
                            TrainingCheckpoint.OPTIMIZER,
                            PeftAdapterFolder.CONFIG,
                            PeftAdapterFolder.WEIGHTS,
                            PeftAdapterFolder.POOLING),
                    TrainingCheckpoint.readState(r.lastCheckpoint()).sha256().keySet(),
                    "state.json lists every other file of a LoRA checkpoint, so it is offered as complete");
        }
    }

    @Test
    void theMergedModelEqualsTheAdaptedModel(@TempDir Path dir) {
        Path base = TrainData.model(dir.resolve("base"), 1);
        TrainOptions options = loraOptions()
                .compression(Compression.none())
                .lora(LoraDefaults.of(4, 4.0, 0.25, null, true))
                .learningRate(2e-2)
                .build();
        TrainResult r = Trainer.train(TrainRequest.of(base, TrainData.train(), options, dir.resolve("work")), null);
        assertTrue(r.finished());
        Path adapter = dir.resolve("work").resolve(Trainer.ADAPTER);
        assertEquals(options.lora(), PeftAdapterFolder.readConfig(adapter));
        float[] baseLogits;
        float[] adapted;
        try (Florence2Model model = Florence2Model.load(base)) {
            baseLogits = logits(model);
            try (LoraAdapters lora = PeftAdapterFolder.load(adapter, model)) {
                adapted = logits(model);
            }
        }
        float[] merged;
        try (Florence2Model model = Florence2Model.load(r.modelDir())) {
            merged = logits(model);
        }
        float moved = 0;
        for (int i = 0; i < adapted.length; i++) {
            moved = Math.max(moved, Math.abs(adapted[i] - baseLogits[i]));
            assertEquals(adapted[i], merged[i], 1e-5 + 1e-5 * Math.abs(adapted[i]), "logit " + i);
        }
        assertTrue(moved > 1e-3, "training changed the model: " + moved);
    }

    @Test
    void resumeIsExactWithDropoutPoolingAndSamples(@TempDir Path dir) throws Exception {
        TrainerTest.resumeIsExact(dir, loraOptions().sampleEveryNSteps(1).build(), 3);
        List<TrainingSample> whole = TrainingSamples.read(dir.resolve("whole").resolve(TrainingSamples.FILE));
        List<TrainingSample> resumed =
                TrainingSamples.read(dir.resolve("second").resolve(TrainingSamples.FILE));
        assertEquals(4 * 4, whole.size(), "4 fixed examples at each of 4 steps");
        assertEquals(whole, resumed);
        assertEquals(
                List.of(1L, 2L, 3L, 4L),
                whole.stream().map(TrainingSample::step).distinct().toList());
        assertEquals(TrainData.train().get(0).question(), whole.get(0).question());
    }

    @Test
    void samplesReachTheListener(@TempDir Path dir) {
        List<Integer> sizes = new ArrayList<>();
        try (Florence2Pipeline p = TrainData.pipeline(2)) {
            TrainOptions o = TrainOptions.builder()
                    .batchSize(2)
                    .maxSteps(2)
                    .sampleEveryNSteps(2)
                    .build();
            Trainer.train(TrainRequest.of(p, TrainData.train(), o, dir), new TrainingListener() {
                @Override
                public void samples(long step, List<TrainingSample> now, List<TrainingSample> all) {
                    assertEquals(2, step);
                    sizes.add(now.size());
                    sizes.add(all.size());
                }
            });
        }
        assertEquals(List.of(4, 4), sizes);
    }

    @Test
    void aFullFineTuningCheckpointDoesNotResumeALoraRun(@TempDir Path dir) {
        Path base = TrainData.model(dir.resolve("base"), 1);
        TrainOptions full = TrainOptions.builder()
                .batchSize(2)
                .maxSteps(2)
                .checkpointEverySteps(1)
                .build();
        TrainResult r = Trainer.train(TrainRequest.of(base, TrainData.train(), full, dir.resolve("full")), null);
        TrainOptions lora = full.toBuilder()
                .lora(LoraDefaults.of(null, null, null, null, null))
                .build();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.train(
                        TrainRequest.of(base, TrainData.train(), lora, dir.resolve("lora"))
                                .resumingFrom(r.lastCheckpoint()),
                        null));
        assertTrue(e.getMessage().contains("training all, this run trains lora"), e.getMessage());
    }

    @Test
    void defaultsAreTheLoraTrainers() {
        LoraConfig c = LoraDefaults.of(null, null, null, null, null);
        assertEquals(
                new LoraConfig(
                        4,
                        4.0,
                        0.25,
                        List.of("qkv", "proj", "k_proj", "v_proj", "q_proj", "out_proj", "fc1", "fc2"),
                        false),
                c);
    }

    private static float[] logits(Florence2Model model) {
        try (NDManager m = model.manager().newSubManager()) {
            SplittableRandom random = new SplittableRandom(7);
            int size = TrainData.IMAGE_SIZE;
            float[] pixels = new float[3 * size * size];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextDouble(-1, 1);
            }
            return model.forward(
                            m.create(pixels, new Shape(1, 3, size, size)),
                            m.create(new long[] {0, 5, 9, 11, 2}, new Shape(1, 5)),
                            m.ones(new Shape(1, 5), DataType.INT64),
                            m.create(new long[] {2, 0, 7}, new Shape(1, 3)),
                            ForwardOptions.REFERENCE,
                            Trace.NONE)
                    .toFloatArray();
        }
    }

    private static Map<String, float[]> weights(Florence2Model model) {
        Map<String, float[]> out = new HashMap<>();
        for (Param param : model.parameters().params()) {
            out.put(param.name(), param.array().toFloatArray());
        }
        return out;
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
