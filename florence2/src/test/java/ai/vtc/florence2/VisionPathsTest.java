package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.nn.ParameterStore;
import ai.vtc.florence2.vision.WindowAttention;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The optimised window attention against the reference's order of operations, with and without padding. */
class VisionPathsTest {

    @ParameterizedTest
    @CsvSource({"8, 8, 4", "6, 6, 4", "7, 5, 4", "24, 24, 12", "9, 13, 3"})
    void windowAttentionMatchesReferenceOrder(int height, int width, int window) {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            ParameterStore store = new ParameterStore(m);
            WindowAttention attention = new WindowAttention(store, "wa", 48, 4, window);
            store.initialiseMissing(height * 31L + width);
            m.getEngine().setRandomSeed(height + width);
            NDArray x = m.randomNormal(new Shape(2, (long) height * width, 48));
            float[] fast = attention.forward(x, height, width).toFloatArray();
            float[] reference = attention.forwardReference(x, height, width).toFloatArray();
            assertNull(Fixtures.allClose(fast, reference, 1e-6, 1e-5), height + "x" + width);
        }
    }
}
