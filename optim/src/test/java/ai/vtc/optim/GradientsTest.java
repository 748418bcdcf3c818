package ai.vtc.optim;

import static ai.vtc.optim.TestSupport.array;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GradientsTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void clipsByGlobalNormAsTorch() {
        // Norms 5 and 12: total 13. clip_grad_norm_(max_norm=6.5) scales by 6.5 / (13 + 1e-6).
        Map<String, NDArray> grads = new LinkedHashMap<>();
        grads.put("a", array(manager, new float[] {3, 4}, 2));
        grads.put("b", array(manager, new float[] {12}, 1, 1));
        double total = Gradients.clipByGlobalNorm(grads, 6.5);
        assertEquals(13, total, 1e-6);
        float coefficient = 6.5f / (13f + 1e-6f);
        assertArrayEquals(
                new float[] {3 * coefficient, 4 * coefficient}, grads.get("a").toFloatArray());
        assertArrayEquals(new float[] {12 * coefficient}, grads.get("b").toFloatArray());
        assertEquals(6.5, Gradients.globalNorm(grads), 1e-5);

        // Under the limit nothing changes.
        Map<String, NDArray> small = Map.of("a", array(manager, new float[] {0.3f, 0.4f}, 2));
        assertEquals(0.5, Gradients.clipByGlobalNorm(small, 1.0), 1e-7);
        assertArrayEquals(new float[] {0.3f, 0.4f}, small.get("a").toFloatArray());

        // A non-finite norm is reported and the gradients are left for the caller to skip the step.
        Map<String, NDArray> bad = Map.of("a", array(manager, new float[] {Float.NaN, 1}, 2));
        assertFalse(Double.isFinite(Gradients.clipByGlobalNorm(bad, 1.0)));
        assertEquals(1f, bad.get("a").toFloatArray()[1]);
    }

    /**
     * DJL's autograd adds each backward pass into the leaf's gradient until it is zeroed; clipping a handle from
     * {@link Gradients#of} changes the parameter's gradient itself.
     */
    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        NDArray w = array(manager, new float[] {1, 2, 3}, 3);
        w.setRequiresGradient(true);
        Map<String, NDArray> params = Map.of("w", w);
        GradientAccumulator accumulator = new GradientAccumulator(2);

        backward(w, 1); // d/dw sum(w^2 * c) = 2 c w
        assertFalse(accumulator.microBatchDone());
        backward(w, 2);
        assertTrue(accumulator.microBatchDone());
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> summed = Gradients.of(params, scope);
            assertArrayEquals(new float[] {6, 12, 18}, summed.get("w").toFloatArray(), "2w + 4w");
        }
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> mean = accumulator.averagedGradients(params, scope);
            assertArrayEquals(new float[] {3, 6, 9}, mean.get("w").toFloatArray());
            Gradients.clipByGlobalNorm(mean, 1e-3);
        }
        try (NDManager scope = manager.newSubManager()) {
            assertEquals(1e-3, Gradients.globalNorm(Gradients.of(params, scope)), 1e-6, "in place on w's gradient");
        }
        accumulator.reset(params.values());
        assertEquals(0, accumulator.accumulated());
        try (NDManager scope = manager.newSubManager()) {
            assertArrayEquals(new float[3], Gradients.of(params, scope).get("w").toFloatArray(), "zeroed");
        }
        backward(w, 1);
        try (NDManager scope = manager.newSubManager()) {
            assertArrayEquals(
                    new float[] {2, 4, 6}, Gradients.of(params, scope).get("w").toFloatArray());
        }
    }

    @Test
    void optimizerStepReadsTheAutogradGradients() {
        NDArray w = array(manager, new float[] {1, -1}, 2);
        w.setRequiresGradient(true);
        backward(w, 0.5f);
        try (AdamW adamW = new AdamW(manager, AdamWConfig.defaults().withWeightDecay(0))) {
            adamW.step(Map.of("w", w));
            // Adam's first step moves each weight by lr against the gradient's sign.
            assertArrayEquals(new float[] {1 - 1e-3f, -1 + 1e-3f}, w.toFloatArray(), 1e-6f);
        }
    }

    private void backward(NDArray w, float c) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                NDManager scope = manager.newSubManager()) {
            NDArray loss = w.square().mul(c).sum();
            loss.attach(scope);
            collector.backward(loss);
        }
    }
}
