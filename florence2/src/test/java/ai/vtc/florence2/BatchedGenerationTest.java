package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.vtc.florence2.generate.GenerationSettings;
import ai.vtc.florence2.generate.Generator;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A padded batch gives, row by row, what each sample gives alone (with the padding mask honoured). */
class BatchedGenerationTest {

    private static Florence2Pipeline pipeline;

    @BeforeAll
    static void create() {
        pipeline = Florence2Pipeline.createTinyDemo(11);
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void paddedBatchEqualsSingleSamples(int beams) {
        List<BufferedImage> images = List.of(
                Florence2ImageProcessor.read(ImageProcessorTest.image("pattern.png")),
                Florence2ImageProcessor.read(ImageProcessorTest.image("pattern-grey.png")));
        List<String> prompts = List.of("<VQA>is there a red triangle left of the big blue circle?", "<VQA>yes?");
        GenerationSettings settings = GenerationSettings.fromConfig(
                        pipeline.model().config(), 7)
                .withNumBeams(beams)
                .withForward(ForwardOptions.REFERENCE.withPaddingMask(true));
        long[][] batched = tokens(images, prompts, settings);
        for (int i = 0; i < 2; i++) {
            long[][] single = tokens(List.of(images.get(i)), List.of(prompts.get(i)), settings);
            long[] row = Arrays.copyOf(batched[i], single[0].length);
            assertArrayEquals(single[0], row, "row " + i + " of " + Arrays.deepToString(batched));
            for (int j = single[0].length; j < batched[i].length; j++) {
                assertEquals(1, batched[i][j], "pad after the end");
            }
        }
        // the reference ignores the padding mask: the unpadded row is unaffected
        GenerationSettings reference = settings.withForward(ForwardOptions.REFERENCE);
        long[][] referenceBatch = tokens(images, prompts, reference);
        long[][] first = tokens(List.of(images.get(0)), List.of(prompts.get(0)), reference);
        assertArrayEquals(first[0], Arrays.copyOf(referenceBatch[0], first[0].length));
    }

    private static long[][] tokens(List<BufferedImage> images, List<String> prompts, GenerationSettings s) {
        try (NDManager m = pipeline.model().manager().newSubManager()) {
            NDArray pixels = pipeline.imageProcessor().pixelValues(m, images);
            Florence2Tokenizer.Batch batch = pipeline.tokenizer().encode(prompts);
            return new Generator(pipeline.model()).generate(pixels, batch.ids(m), batch.attentionMask(m), s);
        }
    }
}
