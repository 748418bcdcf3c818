package ai.vtc.optim;

import static ai.vtc.optim.TestSupport.array;
import static ai.vtc.optim.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamWTest {

    private static final double ATOL = 1e-6;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * One weight, p0 = 1, lr 0.1, wd 0.01, betas (0.9, 0.999), eps 1e-8, gradients 0.5, -0.25, 0.125. Step 1 by hand:
     * p = 1 * (1 - 0.1 * 0.01) = 0.999; m = 0.1 * 0.5 = 0.05; v = 0.001 * 0.25 = 0.00025; bias corrections 0.1 and
     * 0.001, so denom = sqrt(0.00025) / sqrt(0.001) + 1e-8 = 0.5 + 1e-8 and p = 0.999 - (0.1 / 0.1) * 0.05 / (0.5 +
     * 1e-8) = 0.899000002. Steps 2 and 3 continue the same arithmetic (double precision).
     */
    @Test
    void handComputedScalarWithAndWithoutDecay() {
        double[] withDecay = {0.899000002, 0.8714672987058463, 0.8365529176159483};
        double[] withoutDecay = {0.900000002, 0.8733662987078463, 0.8393233849166541};
        float[] grads = {0.5f, -0.25f, 0.125f};
        for (boolean decay : new boolean[] {true, false}) {
            AdamWConfig config = AdamWConfig.defaults()
                    .withLearningRate(0.1)
                    .withWeightDecay(decay ? 0.01 : 0)
                    .withDecayRule(WeightDecayRule.all());
            try (AdamW adamW = new AdamW(manager, config)) {
                NDArray p = array(manager, new float[] {1f}, 1);
                for (int t = 0; t < 3; t++) {
                    try (NDArray g = array(manager, new float[] {grads[t]}, 1)) {
                        adamW.step(Map.of("w", p), Map.of("w", g));
                    }
                    double expected = (decay ? withDecay : withoutDecay)[t];
                    assertEquals(expected, p.toFloatArray()[0], ATOL, "step " + (t + 1) + " decay " + decay);
                }
            }
        }
    }

    /** The same formulas, element-wise in double, for a 2x3 weight (decayed), its bias and a LayerNorm weight. */
    @Test
    void matchesDoublePrecisionUpdatesWithBiasAndNormExcluded() {
        Random random = new Random(1);
        double lr = 0.05;
        double wd = 0.1;
        AdamWConfig config = AdamWConfig.defaults().withLearningRate(lr).withWeightDecay(wd);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("layers.0.fc1.weight", new long[] {2, 3});
        shapes.put("layers.0.fc1.bias", new long[] {3});
        shapes.put("layers.0.self_attn_layer_norm.weight", new long[] {3});
        Map<String, NDArray> params = new LinkedHashMap<>();
        Map<String, double[]> expected = new LinkedHashMap<>();
        Map<String, double[]> m = new LinkedHashMap<>();
        Map<String, double[]> v = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            float[] init = TestSupport.uniform(random, (int) (shape.length == 1 ? shape[0] : shape[0] * shape[1]));
            params.put(name, array(manager, init, shape));
            expected.put(name, TestSupport.toDouble(init));
            m.put(name, new double[init.length]);
            v.put(name, new double[init.length]);
        });
        try (AdamW adamW = new AdamW(manager, config)) {
            for (int t = 1; t <= 3; t++) {
                Map<String, NDArray> grads = new LinkedHashMap<>();
                for (Map.Entry<String, NDArray> e : params.entrySet()) {
                    String name = e.getKey();
                    float[] g = TestSupport.uniform(random, (int) e.getValue().size());
                    grads.put(name, array(manager, g, e.getValue().getShape().getShape()));
                    boolean decays = name.endsWith("fc1.weight");
                    double[] p = expected.get(name);
                    double[] mm = m.get(name);
                    double[] vv = v.get(name);
                    for (int i = 0; i < p.length; i++) {
                        if (decays) {
                            p[i] *= 1 - lr * wd;
                        }
                        mm[i] = 0.9 * mm[i] + 0.1 * g[i];
                        vv[i] = 0.999 * vv[i] + 0.001 * g[i] * g[i];
                        double mHat = mm[i] / (1 - Math.pow(0.9, t));
                        double denom = Math.sqrt(vv[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                        p[i] -= lr * mHat / denom;
                    }
                }
                adamW.step(params, grads);
                grads.values().forEach(NDArray::close);
                for (String name : params.keySet()) {
                    assertClose(
                            name + " step " + t,
                            expected.get(name),
                            params.get(name).toFloatArray(),
                            ATOL,
                            0);
                }
            }
        }
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        try (AdamW adamW = new AdamW(manager, AdamWConfig.defaults())) {
            NDArray a = array(manager, new float[] {1, 2}, 2);
            NDArray b = array(manager, new float[] {3, 4}, 2);
            adamW.step(Map.of("a", a, "b", b), Map.of("a", array(manager, new float[] {1, 1}, 2)));
            assertArrayEquals(new float[] {3, 4}, b.toFloatArray());
            Map<String, NDArray> state = adamW.state();
            assertEquals(1L, state.get("adamw.step.a").toLongArray()[0]);
            assertEquals(3, state.size(), "no state for b: " + state.keySet());
        }
    }

    @Test
    void mismatchedGradientShapeNamesTheParameter() {
        try (AdamW adamW = new AdamW(manager, AdamWConfig.defaults())) {
            NDArray p = array(manager, new float[] {1, 2}, 2);
            NDArray g = array(manager, new float[] {1, 2}, 1, 2);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> adamW.step(Map.of("w", p), Map.of("w", g)));
            assertEquals(true, e.getMessage().contains("w"));
        }
    }
}
