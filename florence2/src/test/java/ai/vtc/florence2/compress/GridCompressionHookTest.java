package ai.vtc.florence2.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.vtc.florence2.Fixtures;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.language.EncoderStageHook;
import ai.vtc.florence2.nn.Trace;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The grid methods inside tiny-a's forward pass: the settings that keep every token change nothing, bit for bit (as
 * the fixtures' sanity checks found for Microsoft's code); random needs the samples' keys and keeps the same tokens for
 * the same keys.
 */
class GridCompressionHookTest {

    private static final long[] QUESTIONS = {4_001, 4_002};
    private static Florence2Model model;
    private static SafeTensorsFile inputs;

    @BeforeAll
    static void load() {
        model = Florence2Model.load(Fixtures.folder(MethodFixtures.MODEL));
        inputs = Fixtures.expected(MethodFixtures.MODEL);
    }

    @AfterAll
    static void close() {
        inputs.close();
        model.close();
    }

    @ParameterizedTest
    @CsvSource({
        "pool2d, 1, 0",
        "pool2d, 1, 3",
        "attn_prune, 16, 1",
        "attn_prune, 16, 3",
        "divprune, 16, 0",
        "divprune, 16, 3",
        "random, 16, 2"
    })
    void keepingEveryTokenLeavesTheForwardUnchanged(String method, int budget, int stage) {
        GridMethod grid = switch (method) {
            case Pool2d.ID -> new Pool2d(budget);
            case AttnPrune.ID -> new AttnPrune(budget);
            case DivPrune.ID -> new DivPrune(budget);
            case RandomSelection.ID -> new RandomSelection(budget, 1);
            default -> throw new IllegalArgumentException(method);
        };
        assertArrayEquals(logits(null), logits(new GridCompressionHook(grid, stage)), method + " stage " + stage);
    }

    @Test
    void randomKeepsTheSameTokensForTheSameQuestions() {
        GridCompressionHook hook = new GridCompressionHook(new RandomSelection(5, 42), 1);
        float[] first = logits(hook);
        assertArrayEquals(first, logits(hook), "the same seed and questions");
        float[] others = logits(hook, new long[] {4_003, 4_004});
        assertFalse(Arrays.equals(first, others), "other questions keep other tokens");
    }

    @Test
    void randomWithoutSampleKeysSaysWhatItNeeds() {
        GridCompressionHook hook = new GridCompressionHook(new RandomSelection(5, 42), 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> logits(hook, null));
        assertTrue(e.getMessage().contains("question ids"), e.getMessage());
    }

    @Test
    void aBudgetTheGridCannotTakeIsRefusedWhenTheHookIsBound() {
        GridCompressionHook hook = new GridCompressionHook(new DivPrune(17), 0);
        InvalidCompressionException e = assertThrows(InvalidCompressionException.class, () -> logits(hook));
        assertTrue(e.getMessage().contains("1..16"), e.getMessage());
        assertEquals(-1, hook.attentionLayer());
    }

    private static float[] logits(EncoderStageHook hook) {
        return logits(hook, QUESTIONS);
    }

    /** tiny-a's logits on its golden inputs, with {@code hook} bound to the text mask and {@code keys}. */
    private static float[] logits(EncoderStageHook hook, long[] keys) {
        try (NDManager m = model.manager().newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray mask = Fixtures.array(m, inputs, "attention_mask");
            ForwardOptions options =
                    ForwardOptions.REFERENCE.withEncoderHook(hook == null ? null : hook.withBatch(mask, keys));
            return model.forward(
                            Fixtures.array(m, inputs, "pixel_values"),
                            Fixtures.array(m, inputs, "input_ids"),
                            mask,
                            Fixtures.array(m, inputs, "decoder_input_ids"),
                            options,
                            Trace.NONE)
                    .toFloatArray();
        }
    }
}
