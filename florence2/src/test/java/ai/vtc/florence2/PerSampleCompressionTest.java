package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.CompressionHooks;
import ai.vtc.florence2.compress.GridCompressionHook;
import ai.vtc.florence2.compress.Pool2d;
import ai.vtc.florence2.compress.RandomSelection;
import ai.vtc.florence2.generate.GenerationSettings;
import ai.vtc.florence2.generate.Generator;
import ai.vtc.florence2.nn.Trace;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Per-sample inputs reach the compression through the model: {@link ForwardOptions#withSampleKeys} and the tokenizer's
 * mask bind the hook of every pass, so in a padded batch, greedy or beam search (the encoder output expanded to the
 * beams after compression), each row generates what its sample generates alone with its own key. The tiny demo model
 * at 128 px: an 8 x 8 grid.
 */
class PerSampleCompressionTest {

    private static final long[] QUESTIONS = {501, 502};
    private static Florence2Pipeline pipeline;
    private static List<BufferedImage> images;
    private static final List<String> PROMPTS =
            List.of("<VQA>is there a red triangle left of the big blue circle?", "<VQA>yes?");

    @BeforeAll
    static void create() {
        pipeline = Florence2Pipeline.createTinyDemo(11);
        images = List.of(
                Florence2ImageProcessor.read(ImageProcessorTest.image("pattern.png")),
                Florence2ImageProcessor.read(ImageProcessorTest.image("pattern-grey.png")));
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    @ParameterizedTest
    @CsvSource({
        "pool2d, 3, 2, 1",
        "divprune, 16, 0, 3",
        "random, 16, 3, 1",
        "random, 12, 0, 3",
        "attn_prune, 16, 1, 3",
        "dominant_merge, 16, 2, 1"
    })
    void paddedBatchEqualsSingleSamples(String mode, int budget, int stage, int beams) {
        Compression c = mode.equals(Pool2d.ID)
                ? Compression.pool2d(budget, stage)
                : Compression.of(mode, null, stage, null, budget, null, null, 77);
        ForwardOptions options = ForwardOptions.REFERENCE
                .withPaddingMask(true)
                .withEncoderHook(CompressionHooks.forModel(pipeline.model(), c));
        GenerationSettings settings =
                GenerationSettings.fromConfig(pipeline.model().config(), 7).withNumBeams(beams);
        long[][] batched = tokens(images, PROMPTS, settings.withForward(options.withSampleKeys(QUESTIONS)));
        for (int i = 0; i < 2; i++) {
            long[][] single = tokens(
                    List.of(images.get(i)),
                    List.of(PROMPTS.get(i)),
                    settings.withForward(options.withSampleKeys(new long[] {QUESTIONS[i]})));
            assertArrayEquals(single[0], Arrays.copyOf(batched[i], single[0].length), c + ", row " + i);
        }
    }

    @Test
    void sampleKeysOfTheOptionsChooseRandomsTokens() {
        GridCompressionHook hook = new GridCompressionHook(new RandomSelection(5, 42), 1);
        ForwardOptions options = ForwardOptions.REFERENCE.withEncoderHook(hook);
        float[] fromOptions = encoded(options.withSampleKeys(QUESTIONS));
        float[] fromBatch = encoded(ForwardOptions.REFERENCE.withEncoderHook(hook.withBatch(null, QUESTIONS)));
        assertArrayEquals(fromBatch, fromOptions, "the same keys, handed over either way");
        assertFalse(Arrays.equals(fromOptions, encoded(options.withSampleKeys(new long[] {601, 602}))));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> encoded(options));
        assertTrue(e.getMessage().contains("question ids"), e.getMessage());
    }

    /** The encoder output for the two images and prompts. */
    private static float[] encoded(ForwardOptions options) {
        try (NDManager m = pipeline.model().manager().newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Florence2Tokenizer.Batch batch = pipeline.tokenizer().encode(PROMPTS);
            NDArray hidden = pipeline.model()
                    .encode(
                            pipeline.imageProcessor().pixelValues(m, images),
                            batch.ids(m),
                            batch.attentionMask(m),
                            options,
                            Trace.NONE)
                    .hidden();
            assertEquals(1 + 5 + batch.ids()[0].length, hidden.getShape().get(1), "global, 5 kept, the text");
            return hidden.toFloatArray();
        }
    }

    private static long[][] tokens(List<BufferedImage> batchImages, List<String> prompts, GenerationSettings s) {
        try (NDManager m = pipeline.model().manager().newSubManager()) {
            NDArray pixels = pipeline.imageProcessor().pixelValues(m, batchImages);
            Florence2Tokenizer.Batch batch = pipeline.tokenizer().encode(prompts);
            return new Generator(pipeline.model()).generate(pixels, batch.ids(m), batch.attentionMask(m), s);
        }
    }
}
