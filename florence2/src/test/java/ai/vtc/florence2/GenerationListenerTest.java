package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.vtc.florence2.generate.GenerationListener;
import ai.vtc.florence2.generate.GenerationSettings;
import ai.vtc.florence2.generate.Generator;
import ai.vtc.florence2.language.EncoderOutput;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@link GenerationListener} hears the start, the end of the prefill (with the encoder output the decoder reads) and
 * every decoder step, in order, greedy and beam search alike, and listening changes no token.
 */
class GenerationListenerTest {

    private static Florence2Pipeline pipeline;

    @BeforeAll
    static void create() {
        pipeline = Florence2Pipeline.createTinyDemo(4);
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void listenerHearsThePrefillAndEveryStep(int beams) {
        List<BufferedImage> images = List.of(
                Florence2ImageProcessor.read(ImageProcessorTest.image("pattern.png")),
                Florence2ImageProcessor.read(ImageProcessorTest.image("pattern-grey.png")));
        GenerationSettings settings =
                GenerationSettings.fromConfig(pipeline.model().config(), 6).withNumBeams(beams);
        List<String> events = new ArrayList<>();
        GenerationListener listener = new GenerationListener() {
            @Override
            public void started() {
                events.add("started");
            }

            @Override
            public void encoded(EncoderOutput encoder) {
                events.add("encoded " + encoder.hidden().getShape());
            }

            @Override
            public void stepped(int step) {
                events.add("step " + step);
            }
        };
        try (NDManager m = pipeline.model().manager().newSubManager()) {
            NDArray pixels = pipeline.imageProcessor().pixelValues(m, images);
            Florence2Tokenizer.Batch batch = pipeline.tokenizer().encode(List.of("<VQA>what colour?", "<VQA>yes?"));
            Generator generator = new Generator(pipeline.model());
            long[][] heard = generator.generate(pixels, batch.ids(m), batch.attentionMask(m), settings, listener);
            long[][] quiet = generator.generate(pixels, batch.ids(m), batch.attentionMask(m), settings);
            assertArrayEquals(quiet, heard);
            int text = batch.ids()[0].length;
            assertEquals("started", events.get(0));
            assertEquals("encoded (2, " + (1 + 64 + text) + ", 128)", events.get(1), "the tiny model at 128 px");
            for (int i = 2; i < events.size(); i++) {
                assertEquals("step " + (i - 1), events.get(i));
            }
            int steps = events.size() - 2;
            assertTrue(steps >= 1 && steps <= 6, "1 to 6 steps: " + events);
            if (beams == 1) {
                assertEquals(quiet[0].length - 1, steps, "one step per generated token");
            }
        }
    }
}
