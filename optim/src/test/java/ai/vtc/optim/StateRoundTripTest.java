package ai.vtc.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Save after some steps, restore into fresh arrays and a fresh optimizer, and continue: the parameters must equal an
 * uninterrupted run bit for bit (the property a resumed training run relies on).
 */
class StateRoundTripTest {

    /** A checkpoint as bytes, as safetensors would hold it. */
    private record Stored(byte[] bytes, Shape shape, DataType type) {
        static Stored of(NDArray array) {
            ByteBuffer buffer = array.toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return new Stored(bytes, array.getShape(), array.getDataType());
        }

        NDArray load(NDManager manager) {
            ByteBuffer direct = manager.allocateDirect(bytes.length);
            direct.put(bytes).rewind();
            return manager.create(direct, shape, type).duplicate();
        }
    }

    private static final Map<String, Shape> SHAPES = Map.of(
            "encoder.layers.0.fc1.weight", new Shape(6, 4),
            "encoder.layers.0.fc1.bias", new Shape(6),
            "encoder.layers.0.final_layer_norm.weight", new Shape(4),
            "vision.conv.weight", new Shape(3, 2, 2, 2));

    @ParameterizedTest
    @ValueSource(strings = {"adamw", "soap"})
    void resumedRunContinuesBitExactly(String kind) {
        Function<NDManager, Optimizer> factory = m -> kind.equals("adamw")
                ? new AdamW(m, AdamWConfig.defaults().withLearningRate(0.01))
                : new Soap(m, SoapConfig.defaults().withPreconditionFrequency(3).withLearningRate(0.01));
        LearningRateSchedule schedule = LearningRateSchedule.cosine(0.01, 2, 10);

        List<float[]> uninterrupted = new ArrayList<>();
        Map<String, Stored> checkpoint = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager();
                Optimizer optimizer = factory.apply(manager)) {
            Map<String, NDArray> params = initialParameters(manager);
            Scheduler scheduler = new Scheduler(schedule);
            DeterministicRng rng = new DeterministicRng(17);
            for (int step = 0; step < 7; step++) {
                if (step == 4) {
                    params.forEach((name, p) -> checkpoint.put("model." + name, Stored.of(p)));
                    optimizer.state().forEach((key, a) -> checkpoint.put(key, Stored.of(a)));
                    try (NDManager scope = manager.newSubManager()) {
                        scheduler.state(scope).forEach((key, a) -> checkpoint.put(key, Stored.of(a)));
                        rng.state(scope).forEach((key, a) -> checkpoint.put(key, Stored.of(a)));
                    }
                }
                trainStep(manager, optimizer, scheduler, rng, params);
                if (step >= 4) {
                    uninterrupted.add(flatten(params));
                }
            }
        }

        try (NDManager manager = NDManager.newBaseManager();
                Optimizer optimizer = factory.apply(manager)) {
            Map<String, NDArray> loaded = new LinkedHashMap<>();
            checkpoint.forEach((key, stored) -> loaded.put(key, stored.load(manager)));
            Map<String, NDArray> params = new java.util.TreeMap<>();
            SHAPES.keySet().forEach(name -> params.put(name, loaded.get("model." + name)));
            optimizer.loadState(loaded);
            Scheduler scheduler = new Scheduler(schedule);
            scheduler.loadState(loaded);
            DeterministicRng rng = new DeterministicRng(17);
            rng.loadState(loaded);
            assertEquals(4, scheduler.position());
            for (int i = 0; i < 3; i++) {
                trainStep(manager, optimizer, scheduler, rng, params);
                assertArrayEquals(uninterrupted.get(i), flatten(params), kind + " resumed step " + (4 + i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adamw", "soap"})
    void incompleteStateIsRejectedWithTheParameterName(String kind) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Optimizer optimizer = kind.equals("adamw")
                    ? new AdamW(manager, AdamWConfig.defaults())
                    : new Soap(manager, SoapConfig.defaults());
            Map<String, NDArray> state = new LinkedHashMap<>();
            state.put(kind + ".step.w", manager.create(new long[] {3}));
            state.put(kind + ".exp_avg.w", manager.zeros(new Shape(2)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> optimizer.loadState(state));
            assertEquals(true, e.getMessage().contains("w"), e.getMessage());
            optimizer.close();
        }
    }

    /** One training step: seed the engine, draw gradients, clip, set the learning rate, update, advance. */
    private static void trainStep(
            NDManager manager,
            Optimizer optimizer,
            Scheduler scheduler,
            DeterministicRng rng,
            Map<String, NDArray> params) {
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            params.forEach((name, p) -> {
                float[] g = new float[Math.toIntExact(p.size())];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (2 * rng.nextDouble() - 1);
                }
                grads.put(name, scope.create(g, p.getShape()));
            });
            Gradients.clipByGlobalNorm(grads, 2.0);
            scheduler.apply(optimizer);
            optimizer.step(params, grads);
            scheduler.advance();
        }
    }

    private static Map<String, NDArray> initialParameters(NDManager manager) {
        Random random = new Random(5);
        Map<String, NDArray> params = new java.util.TreeMap<>();
        SHAPES.forEach((name, shape) ->
                params.put(name, manager.create(TestSupport.uniform(random, Math.toIntExact(shape.size())), shape)));
        return params;
    }

    private static float[] flatten(Map<String, NDArray> params) {
        List<Float> values = new ArrayList<>();
        params.values().forEach(p -> {
            for (float f : p.toFloatArray()) {
                values.add(f);
            }
        });
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
