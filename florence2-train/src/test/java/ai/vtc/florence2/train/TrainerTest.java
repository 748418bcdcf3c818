package ai.vtc.florence2.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.CompressionSchedule;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.io.SafeTensorsWriter;
import ai.vtc.florence2.nn.Param;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on the tiny demo model: exact resume, optimizers, trainable sets, stopping, and that it learns. */
class TrainerTest {

    /** Everything at once: learnable pooling, a staged phase, accumulation, clipping, warm-up, cosine decay. */
    private static TrainOptions.Builder busyOptions() {
        return TrainOptions.builder()
                .compression(Compression.learnablePool(4, 1, true))
                .compressionSchedule(List.of(new CompressionSchedule.Phase(2, 0, 4)))
                .trainable(Trainable.ALL)
                .learningRate(1e-3)
                .lrSchedule(LrScheduleKind.COSINE)
                .warmupSteps(2)
                .batchSize(3)
                .gradientAccumulation(2)
                .maxGradNorm(0.5)
                .maxSteps(6)
                .seed(7)
                .checkpointEverySteps(2);
    }

    @Test
    void resumedRunHasExactlyTheLossesOfAnUninterruptedRun(@TempDir Path dir) throws Exception {
        resumeIsExact(dir, busyOptions().build(), 3);
    }

    @Test
    void resumeIsExactWithSoap(@TempDir Path dir) throws Exception {
        resumeIsExact(
                dir,
                busyOptions()
                        .optimizer(OptimizerKind.SOAP)
                        // preconditioners only for the small sides of the vision tower's convolutions (3, 7): SOAP's
                        // per-side work runs partly on the host and costs seconds per step for all sides of the model
                        .soapMaxPreconditionDim(8)
                        .compression(Compression.avgPool(2, 4, false))
                        .compressionSchedule(List.of())
                        .trainable(Trainable.ALL)
                        .maxSteps(4)
                        .build(),
                2);
    }

    @Test
    void resumeIsExactWithRandomSelection(@TempDir Path dir) throws Exception {
        // random draws every question's tokens from the trial seed and the question id: the resumed run keeps them
        resumeIsExact(
                dir,
                busyOptions()
                        .compression(Compression.random(6, 2, 7))
                        .compressionSchedule(List.of())
                        .maxSteps(4)
                        .build(),
                2);
    }

    @Test
    void downsampleTrainsOnTheSmallerImage(@TempDir Path dir) {
        try (Florence2Pipeline p = TrainData.pipeline(6)) {
            TrainOptions o = TrainOptions.builder()
                    .compression(Compression.downsample(32))
                    .batchSize(4)
                    .maxSteps(2)
                    .build();
            TrainResult r = Trainer.train(TrainRequest.of(p, TrainData.train(), o, dir), TrainingListener.NONE);
            assertTrue(r.finished());
            assertTrue(Double.isFinite(r.finalLoss()));
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TrainOptions.builder()
                        .compression(Compression.attnPrune(4, 2))
                        .compressionSchedule(List.of(new CompressionSchedule.Phase(2, 1, 4)))
                        .build());
        assertTrue(e.getMessage().contains("needs a pooling compression mode"), e.getMessage());
    }

    @Test
    void resumeRefusesOptimizerStateOfAnotherShape(@TempDir Path dir) {
        Path base = TrainData.model(dir.resolve("base"), 1);
        TrainOptions options = busyOptions().build();
        TrainingListener stopAtTwo = new TrainingListener() {
            int checks;

            @Override
            public boolean stopRequested() {
                return checks++ == 2;
            }
        };
        TrainResult stopped =
                Trainer.train(TrainRequest.of(base, TrainData.train(), options, dir.resolve("first")), stopAtTwo);
        Path checkpoint = stopped.lastCheckpoint();
        String changed;
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> state = new LinkedHashMap<>(TrainingCheckpoint.readOptimizer(checkpoint, manager));
            changed = state.keySet().stream()
                    .filter(k -> k.startsWith("adamw.exp_avg."))
                    .findFirst()
                    .orElseThrow();
            state.put(changed, manager.zeros(new Shape(3)));
            SafeTensorsWriter.write(checkpoint.resolve(TrainingCheckpoint.OPTIMIZER), state, Map.of());
        }

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.train(
                        TrainRequest.of(base, TrainData.train(), options, dir.resolve("second"))
                                .resumingFrom(checkpoint),
                        TrainingListener.NONE));
        assertTrue(e.getMessage().contains("does not fit the model"), e::getMessage);
        assertTrue(e.getMessage().contains(changed + ": (3) but the parameter is"), e::getMessage);
    }

    static void resumeIsExact(Path dir, TrainOptions options, int stopAt) throws Exception {
        Path base = TrainData.model(dir.resolve("base"), 1);
        List<Example> examples = TrainData.train();
        TrainResult whole =
                Trainer.train(TrainRequest.of(base, examples, options, dir.resolve("whole")), TrainingListener.NONE);
        assertTrue(whole.finished());
        assertEquals(options.maxSteps(), whole.losses().length);

        List<Long> checkpoints = new ArrayList<>();
        TrainingListener stopping = new TrainingListener() {
            int checks;

            @Override
            public boolean stopRequested() {
                return checks++ == stopAt;
            }

            @Override
            public void checkpoint(long step, Path checkpointDir) {
                checkpoints.add(step);
                assertTrue(Files.isRegularFile(checkpointDir.resolve(TrainingCheckpoint.STATE)));
            }
        };
        TrainRequest first = TrainRequest.of(base, examples, options, dir.resolve("first"));
        TrainResult stopped = Trainer.train(first, stopping);
        assertEquals(TrainResult.Status.STOPPED, stopped.status());
        assertEquals(stopAt, stopped.steps());
        assertEquals(dir.resolve("first/checkpoints/step-" + stopAt), stopped.lastCheckpoint());
        assertEquals(stopAt, checkpoints.get(checkpoints.size() - 1), "a checkpoint at the stop step");
        TrainingCheckpoint.State state = TrainingCheckpoint.readState(stopped.lastCheckpoint());
        assertEquals(stopAt, state.step());
        assertEquals(
                TrainingCheckpoint.sha256(stopped.lastCheckpoint().resolve(TrainingCheckpoint.MODEL)),
                state.sha256().get(TrainingCheckpoint.MODEL));

        TrainResult resumed = Trainer.train(
                TrainRequest.of(base, examples, options, dir.resolve("second")).resumingFrom(stopped.lastCheckpoint()),
                TrainingListener.NONE);
        assertTrue(resumed.finished());
        assertArrayEquals(whole.losses(), resumed.losses(), 0.0, "losses of the resumed run");
        assertEquals(whole.finalLoss(), resumed.finalLoss(), 0.0);
        assertWeightsEqual(whole.modelDir(), resumed.modelDir());
    }

    @Test
    void trainableSetsFreezeTheRest(@TempDir Path dir) {
        List<Example> examples = TrainData.train();
        try (Florence2Pipeline p = TrainData.pipeline(2)) {
            Map<String, float[]> before = weights(p.model());
            TrainOptions o = TrainOptions.builder()
                    .compression(Compression.learnablePool(4, 2, false))
                    .trainable(Trainable.POOLING)
                    .learningRate(1e-2)
                    .batchSize(2)
                    .maxSteps(2)
                    .build();
            Trainer.train(TrainRequest.of(p, examples, o, dir.resolve("pooling")), TrainingListener.NONE);
            Map<String, float[]> after = weights(p.model());
            for (Map.Entry<String, float[]> e : before.entrySet()) {
                assertArrayEquals(e.getValue(), after.get(e.getKey()), e.getKey() + " is frozen");
            }
            assertFalse(java.util.Arrays.equals(
                    new float[] {0.25f, 0.25f, 0.25f, 0.25f}, after.get(Florence2Model.VISUAL_POOLING_WEIGHT)));

            Trainer.train(
                    TrainRequest.of(
                            p,
                            examples,
                            o.toBuilder().trainable(Trainable.LANGUAGE).build(),
                            dir.resolve("language")),
                    TrainingListener.NONE);
            Map<String, float[]> language = weights(p.model());
            for (String name : before.keySet()) {
                boolean same = java.util.Arrays.equals(after.get(name), language.get(name));
                if (name.startsWith("vision_tower.")
                        || p.model().parameters().param(name).isBuffer()) {
                    assertTrue(same, name + " is frozen");
                } else if (name.contains("layers.0.fc1.weight") || name.equals("image_projection")) {
                    assertFalse(same, name + " trains");
                }
            }
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TrainOptions.builder()
                        .compression(Compression.avgPool(2, 0, false))
                        .trainable(Trainable.POOLING)
                        .build()
                        .trainable()
                        .select(null, Compression.avgPool(2, 0, false)));
        assertTrue(e.getMessage().contains("trainable pooling needs compression learnable_pool"), e.getMessage());
    }

    @Test
    void lossDecreases(@TempDir Path dir) {
        List<Example> examples = TrainData.train().subList(0, 8);
        try (Florence2Pipeline p = TrainData.pipeline(4)) {
            TrainOptions o = TrainOptions.builder()
                    .learningRate(2e-3)
                    .lrSchedule(LrScheduleKind.CONSTANT)
                    .warmupSteps(3)
                    .batchSize(8)
                    .maxSteps(15)
                    .build();
            List<Double> reported = new ArrayList<>();
            TrainResult r = Trainer.train(TrainRequest.of(p, examples, o, dir), new TrainingListener() {
                @Override
                public void progress(long step, long total, double loss, double samplesPerSecond) {
                    reported.add(loss);
                }
            });
            double first = r.losses()[0];
            double last = r.finalLoss();
            assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
            assertEquals(last, reported.get(reported.size() - 1), "a last progress report after the final step");
        }
    }

    @Test
    void batchedPredictionDoesNotDependOnTheBatchSize() {
        List<Example> val = TrainData.val();
        try (Florence2Pipeline p = TrainData.pipeline(5)) {
            Compression c = Compression.avgPool(4, 2, true);
            Map<Long, String> one =
                    VqaAnswerer.answer(p, val, EvalOptions.defaults().withBatchSize(1), c, null);
            Map<Long, String> all =
                    VqaAnswerer.answer(p, val, EvalOptions.defaults().withBatchSize(8), c, null);
            assertEquals(one, all);
            assertEquals(val.size(), all.size());
            assertNotEquals(null, all.get(val.get(0).questionId()));
        }
    }

    @Test
    void predictionStopsBeforeTheNextBatchWhenTheListenerAsks() {
        List<Example> val = TrainData.val();
        assertTrue(val.size() > 4, "needs more than two batches of 2, has " + val.size());
        try (Florence2Pipeline p = TrainData.pipeline(5)) {
            AtomicInteger asked = new AtomicInteger();
            Map<Long, String> answers = VqaAnswerer.answer(
                    p, val, EvalOptions.defaults().withBatchSize(2), Compression.none(), new VqaAnswerer.Listener() {
                        @Override
                        public void progress(long done, long total, double questionsPerSecond) {}

                        @Override
                        public boolean stopRequested() {
                            return asked.incrementAndGet() > 2;
                        }
                    });
            assertEquals(3, asked.get(), "asked before each batch, stopped at the third");
            assertEquals(
                    val.subList(0, 4).stream().map(Example::questionId).toList(),
                    List.copyOf(answers.keySet()),
                    "the answers of the first two batches");
        }
    }

    private static Map<String, float[]> weights(Florence2Model model) {
        Map<String, float[]> out = new HashMap<>();
        for (Param param : model.parameters().params()) {
            out.put(param.name(), param.array().toFloatArray());
        }
        return out;
    }

    private static void assertWeightsEqual(Path a, Path b) {
        try (SafeTensorsFile x = SafeTensorsFile.open(a.resolve("model.safetensors"));
                SafeTensorsFile y = SafeTensorsFile.open(b.resolve("model.safetensors"))) {
            assertEquals(x.tensors().keySet(), y.tensors().keySet());
            for (String name : x.tensors().keySet()) {
                assertArrayEquals(x.readFloats(name), y.readFloats(name), 0f, name);
            }
        }
    }
}
