package ai.vtc.florence2.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The split product for few rows (column blocks of the weight) against the single product it replaces. */
class LinearTest {

    @Test
    void columnBlocksGiveTheSameOutputAndGradientsAsOneProduct() {
        try (NDManager m = NDManager.newBaseManager();
                ParameterStore store = new ParameterStore(m)) {
            Linear linear = new Linear(store, "fc", 48, 36, true, Init.normal(0.2));
            store.initialiseMissing(7);
            store.setValues(store.param("fc.bias"), ramp(36));
            NDArray x = m.randomNormal(new Shape(2, 5, 48)); // [B, T, in]
            NDArray upstream = m.randomNormal(new Shape(2, 5, 36));

            float[][] single = outputAndGradients(store, linear, x, upstream, 1);
            for (int blocks : new int[] {2, 6, 12}) {
                float[][] split = outputAndGradients(store, linear, x, upstream, blocks);
                String[] what = {"output", "d weight", "d bias", "d input"};
                for (int i = 0; i < what.length; i++) {
                    assertEquals(single[i].length, split[i].length, what[i]);
                    for (int j = 0; j < single[i].length; j++) {
                        assertEquals(single[i][j], split[i][j], 1e-5, what[i] + " [" + j + "], " + blocks + " blocks");
                    }
                }
            }
        }
    }

    @Test
    void onlyFewRowsTimesALargeWeightOnSeveralThreadsAreSplit() {
        assertEquals(6, Linear.blocks(89, 768, 3072, 2));
        assertEquals(6, Linear.blocks(1, 3072, 768, 2));
        assertEquals(12, Linear.blocks(161, 768, 2304, 4));
        assertEquals(1, Linear.blocks(89, 768, 3072, 1), "one thread");
        assertEquals(1, Linear.blocks(593, 768, 3072, 2), "many rows");
        assertEquals(6, Linear.blocks(89, 768, 768, 2));
        assertEquals(1, Linear.blocks(1, 768, 768, 2), "one row times a small weight");
        assertEquals(6, Linear.blocks(1, 768, 3072, 2));
        assertEquals(2, Linear.blocks(89, 768, 51290, 2), "vocabulary: 6 does not divide it, 2 does");
        assertEquals(1, Linear.blocks(89, 768, 51289, 2), "nothing divides it");
        assertTrue(Linear.SPLIT_MAX_ROWS >= 89, "the 89 tokens of factor 8 are split");
    }

    /** output, d weight, d bias, d input of sum(linear(x) * upstream) */
    private static float[][] outputAndGradients(
            ParameterStore store, Linear linear, NDArray x, NDArray upstream, int blocks) {
        NDArray w = store.param("fc.weight").array();
        NDArray b = store.param("fc.bias").array();
        List<NDArray> leaves = List.of(w, b, x);
        for (NDArray a : leaves) {
            a.setRequiresGradient(true);
        }
        TestGradients.zero(leaves);
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray y = linear.forward(x, blocks);
            collector.backward(y.mul(upstream).sum());
            return new float[][] {
                y.toFloatArray(),
                w.getGradient().toFloatArray(),
                b.getGradient().toFloatArray(),
                x.getGradient().toFloatArray()
            };
        }
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.1f * i - 1;
        }
        return v;
    }
}
