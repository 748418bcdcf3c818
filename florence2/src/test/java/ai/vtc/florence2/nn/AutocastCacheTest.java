package ai.vtc.florence2.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

/** Autocast's weight casts: once per scope at inference, never stale, never cached while gradients are recorded. */
class AutocastCacheTest {

    @Test
    void aScopeCastsEachWeightOnceAtInferenceAndAChangedWeightIsCastAgainInTheNextScope() {
        Engine.getEngine("PyTorch");
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(new Shape(8, 16));
            NDArray b = m.randomNormal(new Shape(8));
            NDArray x = m.randomNormal(new Shape(4, 16));
            float[] first;
            NDArray held;
            try (Autocast scope = Autocast.enter(Precision.BF16)) {
                try (NDScope pass = new NDScope()) { // a pass's scope must not free the cached casts
                    pass.suppressNotUsedWarning();
                    first = Autocast.linear(x, w, b).toFloatArray();
                }
                assertEquals(2, scope.castWeights.size());
                assertArrayEquals(first, Autocast.linear(x, w, b).toFloatArray());
                assertEquals(2, scope.castWeights.size(), "the second product reuses both casts");
                held = scope.castWeights.get(w);
            }
            assertThrows(IllegalStateException.class, held::toFloatArray, "closing the scope frees its casts");
            w.muli(2);
            b.muli(2);
            try (Autocast scope = Autocast.enter(Precision.BF16)) {
                float[] doubled = Autocast.linear(x, w, b).toFloatArray();
                for (int i = 0; i < first.length; i++) {
                    assertEquals(2 * first[i], doubled[i], 1e-5f + Math.abs(first[i]) * 1e-6f, "element " + i);
                }
            }
            JniUtils.setGradMode(true);
            try (Autocast scope = Autocast.enter(Precision.BF16)) {
                Autocast.linear(x, w, b);
                assertEquals(0, scope.castWeights.size(), "with gradients recorded each cast stays in the graph");
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }
}
