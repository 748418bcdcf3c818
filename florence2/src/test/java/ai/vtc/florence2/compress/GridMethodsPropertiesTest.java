package ai.vtc.florence2.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.vtc.florence2.nn.Tensors;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Properties docs/architecture.md ("Methods") states, below the sweep's validation: pool2d with kernel 1 and selection
 * of all n tokens are the identity; random keeps the same tokens for the same seed and question and others for another
 * question; each sample of a batch selects its own tokens; gradients reach the kept and merged tokens only.
 */
class GridMethodsPropertiesTest {

    private static final int B = 2;
    private static final int SIDE = 4;
    private static final int N = SIDE * SIDE;
    private static final int D = 8;
    private static final int HEADS = 2;
    private static final int TEXT = 3;
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void pool2dWithKernelOneIsTheIdentity() {
        NDArray grid = grid(1);
        GridCompression out = new Pool2d(1).compress(GridInputs.of(grid, SIDE, SIDE));
        assertArrayEquals(grid.toFloatArray(), out.grid().toFloatArray());
        assertEquals(grid.getShape(), out.grid().getShape());
    }

    @Test
    void selectingEveryTokenIsTheIdentity() {
        NDArray grid = grid(2);
        long[] all = new long[B * N];
        for (int i = 0; i < all.length; i++) {
            all[i] = i % N;
        }
        for (GridMethod method : new GridMethod[] {new AttnPrune(N), new DivPrune(N), new RandomSelection(N, 7)}) {
            GridCompression out =
                    method.compress(new GridInputs(grid, SIDE, SIDE, attention(3), null, new long[] {11, 12}));
            assertArrayEquals(grid.toFloatArray(), out.grid().toFloatArray(), method.id());
            assertArrayEquals(all, out.keptIndices().toLongArray(), method.id());
        }
    }

    @Test
    void randomSelectionIsAFunctionOfSeedAndQuestion() {
        int[] first = RandomSelection.chosen(42, 1001, N, 5);
        assertArrayEquals(first, RandomSelection.chosen(42, 1001, N, 5), "same seed and question");
        assertFalse(Arrays.equals(first, RandomSelection.chosen(42, 1002, N, 5)), "another question");
        assertFalse(Arrays.equals(first, RandomSelection.chosen(43, 1001, N, 5)), "another seed");
        assertTrue(isAscendingAndDistinct(first, N));

        // the question keeps its tokens whatever batch it lands in (a resumed run batches differently)
        NDArray pair = grid(4);
        long[] together = RandomSelection.select(pair, 42, new long[] {1002, 1001}, 5)
                .keptIndices()
                .toLongArray();
        long[] alone = RandomSelection.select(pair.get("1:2"), 42, new long[] {1001}, 5)
                .keptIndices()
                .toLongArray();
        assertArrayEquals(Arrays.stream(first).asLongStream().toArray(), alone);
        assertArrayEquals(alone, Arrays.copyOfRange(together, 5, 10));
    }

    @Test
    void randomSelectionCoversEveryTokenUniformly() {
        int[] counts = new int[N];
        int draws = 4000;
        for (long key = 0; key < draws; key++) {
            for (int j : RandomSelection.chosen(5, key, N, 4)) {
                counts[j]++;
            }
        }
        double expected = draws * 4.0 / N; // 1000 per token
        for (int j = 0; j < N; j++) {
            assertEquals(expected, counts[j], 5 * Math.sqrt(expected), "token " + j);
        }
    }

    @Test
    void eachSampleOfABatchSelectsItsOwnTokens() {
        NDArray grid = grid(5);
        NDArray attention = attention(6);
        for (GridMethod method : new GridMethod[] {new AttnPrune(5), new DivPrune(5), new DominantMerge(5, 3)}) {
            GridInputs batch = new GridInputs(grid, SIDE, SIDE, attention, null, null);
            long[] kept = method.compress(batch).keptIndices().toLongArray();
            assertFalse(
                    Arrays.equals(Arrays.copyOfRange(kept, 0, 5), Arrays.copyOfRange(kept, 5, 10)),
                    method.id() + " selects the same tokens for different samples");
            for (int b = 0; b < B; b++) {
                String row = b + ":" + (b + 1);
                GridInputs alone = new GridInputs(grid.get(row), SIDE, SIDE, attention.get(row), null, null);
                assertArrayEquals(
                        Arrays.copyOfRange(kept, b * 5, b * 5 + 5),
                        method.compress(alone).keptIndices().toLongArray(),
                        method.id() + " sample " + b + " in a batch and alone");
            }
        }
    }

    @Test
    void gradientsReachTheKeptTokensOnly() {
        NDArray grid = grid(7);
        grid.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            GridCompression out = new DivPrune(5).compress(GridInputs.of(grid, SIDE, SIDE));
            collector.backward(out.grid().sum());
            float[] gradient = grid.getGradient().toFloatArray();
            Set<Long> kept = new HashSet<>();
            for (long j : out.keptIndices().get("0").toLongArray()) {
                kept.add(j);
            }
            for (int j = 0; j < N; j++) {
                for (int c = 0; c < D; c++) {
                    assertEquals(kept.contains((long) j) ? 1f : 0f, gradient[j * D + c], "token " + j);
                }
            }
        }
    }

    @Test
    void gradientsOfMergedTokensSpreadOverTheirMembers() {
        NDArray grid = grid(8);
        grid.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            GridCompression out =
                    new DominantMerge(6, 4).compress(new GridInputs(grid, SIDE, SIDE, attention(9), null, null));
            collector.backward(out.grid().sum());
            float[] gradient = grid.getGradient().toFloatArray();
            long[] slots = out.mergeSlot().toLongArray(); // [B, n]
            for (int b = 0; b < B; b++) {
                int[] members = new int[6];
                for (int j = 0; j < N; j++) {
                    members[(int) slots[b * N + j]]++;
                }
                for (int j = 0; j < N; j++) {
                    float expected = 1f / members[(int) slots[b * N + j]];
                    assertEquals(expected, gradient[(b * N + j) * D], 1e-6, "sample " + b + " token " + j);
                }
            }
        }
    }

    @Test
    void dominantMergeKeepsItsDominantTokensAndMeansTheRest() {
        NDArray grid = grid(10);
        GridCompression out =
                new DominantMerge(7, 5).compress(new GridInputs(grid, SIDE, SIDE, attention(11), null, null));
        assertEquals(new Shape(B, 7, D), out.grid().getShape());
        long[] anchors = out.keptIndices().toLongArray();
        long[] slots = out.mergeSlot().toLongArray();
        float[] x = grid.toFloatArray();
        float[] y = out.grid().toFloatArray();
        for (int b = 0; b < B; b++) {
            for (int s = 0; s < 7; s++) {
                assertEquals(s, slots[b * N + (int) anchors[b * 7 + s]], "an anchor ends in its own slot");
                float[] mean = new float[D];
                int members = 0;
                for (int j = 0; j < N; j++) {
                    if (slots[b * N + j] == s) {
                        members++;
                        for (int c = 0; c < D; c++) {
                            mean[c] += x[(b * N + j) * D + c];
                        }
                    }
                }
                assertTrue(s >= 5 || members == 1, "a dominant token is not merged");
                for (int c = 0; c < D; c++) {
                    assertEquals(mean[c] / members, y[(b * 7 + s) * D + c], 1e-6);
                }
            }
        }
    }

    @Test
    void attentionScoresCountOnlyRealTextTokensAsQueries() {
        NDArray attention = attention(12);
        NDArray allText = Tensors.longs(manager, new long[] {1, 1, 1, 1, 1, 1}, new Shape(B, TEXT));
        NDArray padded = Tensors.longs(manager, new long[] {1, 1, 1, 1, 0, 0}, new Shape(B, TEXT));
        double[] none = AttentionScores.textToGrid(attention, N, null).toDoubleArray();
        assertArrayEquals(
                none, AttentionScores.textToGrid(attention, N, allText).toDoubleArray(), 1e-12);
        double[] masked = AttentionScores.textToGrid(attention, N, padded).toDoubleArray();
        assertArrayEquals(Arrays.copyOf(none, N), Arrays.copyOf(masked, N), 1e-12, "sample 0 has no padding");
        float[] p = attention.toFloatArray();
        for (int j = 0; j < N; j++) {
            double sum = 0;
            for (int h = 0; h < HEADS; h++) {
                sum += p[index(1, h, 1 + N, 1 + j)]; // sample 1: only its first text token is a query
            }
            assertEquals(sum / HEADS, masked[N + j], 1e-9, "token " + j);
        }
    }

    @Test
    void budgetsTheGridCannotTakeAreRefusedWithTheirRange() {
        InvalidCompressionException tooMany =
                assertThrows(InvalidCompressionException.class, () -> new AttnPrune(N + 1).keptTokens(SIDE, SIDE));
        assertTrue(tooMany.getMessage().contains("1..16"), tooMany.getMessage());
        assertThrows(InvalidCompressionException.class, () -> new Pool2d(SIDE + 1).keptTokens(SIDE, SIDE));
        assertThrows(InvalidCompressionException.class, () -> new DominantMerge(5, 5));
        assertThrows(InvalidCompressionException.class, () -> new DominantMerge(1, 1));
        assertThrows(InvalidCompressionException.class, () -> new GridCompressionHook(new AttnPrune(4), 0));
        assertEquals(4, new Pool2d(2).keptTokens(SIDE, SIDE));
        assertEquals(1, new Pool2d(3).keptTokens(SIDE, SIDE));
        assertEquals(121, DominantMerge.defaultDominant(144));
        assertEquals(1, DominantMerge.defaultDominant(2));
        assertEquals(1, new GridCompressionHook(new DominantMerge(4, 2), 2).attentionLayer());
        assertEquals(-1, new GridCompressionHook(new DivPrune(4), 2).attentionLayer());
    }

    /** A random grid [B, n, D]. */
    private static NDArray grid(long seed) {
        Random random = new Random(seed);
        float[] values = new float[B * N * D];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensors.floats(manager, values, new Shape(B, N, D));
    }

    /** Random row-stochastic attention [B, H, S, S] over S = 1 + n + T tokens, different for every sample. */
    private static NDArray attention(long seed) {
        Random random = new Random(seed);
        int s = 1 + N + TEXT;
        float[] values = new float[B * HEADS * s * s];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensors.floats(manager, values, new Shape(B, HEADS, s, s)).softmax(-1);
    }

    private static int index(int b, int h, int query, int key) {
        int s = 1 + N + TEXT;
        return ((b * HEADS + h) * s + query) * s + key;
    }

    private static boolean isAscendingAndDistinct(int[] indices, int n) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= n || (i > 0 && indices[i] <= indices[i - 1])) {
                return false;
            }
        }
        return true;
    }
}
