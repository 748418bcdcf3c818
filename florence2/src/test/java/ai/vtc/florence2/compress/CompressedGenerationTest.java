package ai.vtc.florence2.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.generate.GenerationSettings;
import ai.vtc.florence2.generate.Generator;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.nn.Tensors;
import ai.vtc.florence2.nn.Trace;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compression inside generation: the key/value-cached decoder cross-attends to the compressed encoder output, so
 * greedy generation with a cache gives the tokens of a loop that re-runs the full uncached forward pass for every new
 * token, batched with padding included.
 */
class CompressedGenerationTest {

    private static final int NEW_TOKENS = 6;
    private static Florence2Model model;

    @BeforeAll
    static void create() {
        model = Florence2Model.random(Florence2Config.tinyDemo(), 3);
        model.visualPoolingWeight(4);
        model.parameters().setValues(model.visualPoolingWeight().orElseThrow(), new float[] {0.4f, 0.3f, 0.2f, 0.1f});
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @ParameterizedTest
    @CsvSource({
        "avg_pool, 4, 0, false",
        "avg_pool, 2, 4, true",
        "learnable_pool, 4, 2, true",
        "learnable_pool, 4, 4, false"
    })
    void cachedGenerationEqualsUncachedLoop(String mode, int factor, int stage, boolean sorted) {
        Compression compression = Compression.of(mode, factor, stage, sorted);
        ForwardOptions options = ForwardOptions.REFERENCE
                .withPaddingMask(true)
                .withEncoderHook(VisualTokenCompressor.forModel(model, compression));
        assertCachedEqualsUncached(options, null, 16 / factor); // every factor here divides the 16 grid tokens
    }

    /** The grid methods too, each sample selecting its own tokens (random: by its question id). */
    @ParameterizedTest
    @CsvSource({"pool2d, 2, 0", "attn_prune, 5, 1", "divprune, 6, 4", "dominant_merge, 7, 2", "random, 4, 4"})
    void cachedGenerationWithAGridMethodEqualsUncachedLoop(String method, int budget, int stage) {
        GridMethod grid = switch (method) {
            case Pool2d.ID -> new Pool2d(budget);
            case AttnPrune.ID -> new AttnPrune(budget);
            case DivPrune.ID -> new DivPrune(budget);
            case DominantMerge.ID -> new DominantMerge(budget, DominantMerge.defaultDominant(budget));
            case RandomSelection.ID -> new RandomSelection(budget, 9);
            default -> throw new IllegalArgumentException(method);
        };
        GridCompressionHook hook = new GridCompressionHook(grid, stage);
        assertCachedEqualsUncached(ForwardOptions.REFERENCE.withPaddingMask(true), hook, grid.keptTokens(4, 4));
    }

    /**
     * Greedy generation with a cache equals the uncached loop; {@code hook}, when given, is attached with the batch's
     * text mask and question ids.
     */
    private static void assertCachedEqualsUncached(ForwardOptions base, GridCompressionHook hook, int keptGrid) {
        try (NDManager m = model.manager().newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Random r = new Random(5);
            float[] px = new float[2 * 3 * 64 * 64];
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) r.nextGaussian();
            }
            NDArray pixels = Tensors.floats(m, px, new Shape(2, 3, 64, 64));
            NDArray ids = Tensors.longs(m, new long[][] {{0, 17, 250, 31, 99, 2}, {0, 640, 77, 2, 1, 1}});
            NDArray mask = Tensors.longs(m, new long[][] {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}});
            ForwardOptions options =
                    hook == null ? base : base.withEncoderHook(hook.withBatch(mask, new long[] {501, 502}));

            Trace.Collecting trace = Trace.collecting();
            EncoderOutput encoded = model.encode(pixels, ids, mask, options, trace);
            assertEquals(1 + keptGrid + 6, encoded.hidden().getShape().get(1));

            long[][] cached = new Generator(model)
                    .generate(
                            pixels,
                            ids,
                            mask,
                            GenerationSettings.greedy(NEW_TOKENS).withForward(options));
            long[][] uncached = uncachedGreedy(pixels, ids, mask, options, m);
            int eos = model.config().textConfig().eosTokenId();
            for (int b = 0; b < 2; b++) {
                int end = cached[b].length;
                for (int i = 1; i < cached[b].length; i++) {
                    if (cached[b][i] == eos) {
                        end = i + 1; // after its end of sequence a finished row is padded
                        break;
                    }
                }
                assertArrayEquals(Arrays.copyOf(uncached[b], end), Arrays.copyOf(cached[b], end), "row " + b);
            }
        }
    }

    /** Greedy decoding by the full teacher-forced forward pass on the whole prefix, no cache. */
    private static long[][] uncachedGreedy(
            NDArray pixels, NDArray ids, NDArray mask, ForwardOptions options, NDManager m) {
        int batch = 2;
        long[][] sequences = new long[batch][1];
        for (long[] row : sequences) {
            row[0] = model.config().textConfig().decoderStartTokenId();
        }
        for (int step = 0; step < NEW_TOKENS; step++) {
            NDArray decoderIds = Tensors.longs(m, sequences);
            NDArray logits = model.forward(pixels, ids, mask, decoderIds, options, Trace.NONE); // [B, U, V]
            long u = logits.getShape().get(1);
            long[] next = logits.get(":, " + (u - 1) + ", :").argMax(-1).toLongArray();
            for (int b = 0; b < batch; b++) {
                long[] row = Arrays.copyOf(sequences[b], sequences[b].length + 1);
                row[row.length - 1] = next[b];
                sequences[b] = row;
            }
        }
        return sequences;
    }
}
