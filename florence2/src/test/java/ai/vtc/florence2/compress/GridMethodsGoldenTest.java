package ai.vtc.florence2.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.vtc.florence2.Fixtures;
import ai.vtc.florence2.io.SafeTensorsFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The methods' arithmetic on every case of the compression-method fixtures: from the hidden states entering the stage
 * (and the captured attention and text mask), the hidden states leaving it within 1e-4, the kept indices, divprune's
 * pick order and dominant_merge's merge slots exactly, and the attention scores within 1e-6.
 */
class GridMethodsGoldenTest {

    private static final double ATOL = 1e-4;
    private static final double SCORE_ATOL = 1e-6;

    @ParameterizedTest
    @MethodSource("ai.vtc.florence2.compress.MethodFixtures#gridCases")
    void methodReproducesFixture(String name) {
        MethodFixtures fixture = MethodFixtures.load(name);
        GridMethod method = fixture.method();
        int side = fixture.gridSide();
        int n = side * side;
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                SafeTensorsFile expected = fixture.tensors()) {
            NDArray before = Fixtures.array(m, expected, "hidden_before_compression"); // [B, 1 + n + T, D]
            NDArray attention = method.needsAttention() ? Fixtures.array(m, expected, "attention_probs") : null;
            NDArray textMask = Fixtures.array(m, expected, "attention_mask"); // [B, T]
            GridBlock block = GridBlock.split(before, n);

            GridCompression out = method.compress(new GridInputs(block.grid(), side, side, attention, textMask, null));

            assertNull(
                    Fixtures.allClose(
                            block.join(out.grid()).toFloatArray(),
                            expected.readFloats("hidden_after_compression"),
                            ATOL,
                            0),
                    name + " hidden_after_compression differs");
            assertEquals(method.keptTokens(side, side), out.grid().getShape().get(1), name + " kept tokens");
            exactly(expected, "kept_indices", out.keptIndices(), name);
            exactly(expected, "pick_order", out.pickOrder(), name);
            exactly(expected, "merge_slot", out.mergeSlot(), name);
            if (attention != null) {
                float[] scores = AttentionScores.textToGrid(attention, n, textMask)
                        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                        .toFloatArray();
                assertNull(
                        Fixtures.allClose(scores, expected.readFloats("attn_scores"), SCORE_ATOL, 0),
                        name + " attn_scores differ");
            }
        }
    }

    /** An index tensor of the fixture equals the method's, or both are absent. */
    private static void exactly(SafeTensorsFile expected, String tensor, NDArray actual, String name) {
        if (!expected.tensors().containsKey(tensor)) {
            assertNull(actual, name + " has no " + tensor + " but the method gave one");
            return;
        }
        assertArrayEquals(expected.readLongs(tensor), actual.toLongArray(), name + " " + tensor);
        assertArrayEquals(
                expected.tensors().get(tensor).shape(), actual.getShape().getShape(), name + " " + tensor);
    }
}
