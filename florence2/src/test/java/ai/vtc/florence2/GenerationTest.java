package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.generate.GenerationSettings;
import ai.vtc.florence2.generate.Generator;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.language.DecoderCache;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.nn.Trace;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cached generation against the fixtures' uncached greedy decoding, beam search pinned on tiny-a-strong. */
class GenerationTest {

    /** 4 beams, length penalty 2, no processors, early_stopping false. */
    private static final String PLAIN_BEAMS = "[[2, 84, 84, 84, 84, 84, 84], [2, 84, 84, 84, 84, 84, 84]]";

    private static Florence2Model strong;
    private static SafeTensorsFile expected;

    @BeforeAll
    static void load() {
        strong = Florence2Model.load(Fixtures.folder("tiny-a-strong"));
        expected = Fixtures.expected("tiny-a-strong");
    }

    @AfterAll
    static void close() {
        strong.close();
        expected.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-a-strong"})
    void cachedGreedyEqualsReferenceGreedy(String fixture) {
        try (Florence2Model model = Florence2Model.load(Fixtures.folder(fixture));
                SafeTensorsFile golden = Fixtures.expected(fixture);
                NDManager m = model.manager().newSubManager()) {
            long[][] tokens = new Generator(model)
                    .generate(
                            Fixtures.array(m, golden, "pixel_values"),
                            Fixtures.array(m, golden, "input_ids"),
                            Fixtures.array(m, golden, "attention_mask"),
                            GenerationSettings.greedy(8));
            long[] want = golden.readLongs("greedy_tokens");
            assertArrayEquals(want, flatten(tokens, 9), fixture + " " + Arrays.deepToString(tokens));
        }
    }

    /** Every step's logits of the cached decoder against the fixture's uncached {@code greedy_step_logits}. */
    @Test
    void cachedStepLogitsMatchReference() {
        try (NDManager m = strong.manager().newSubManager();
                NDScope scope = new NDScope();
                DecoderCache cache = strong.newCache(m)) {
            scope.suppressNotUsedWarning();
            EncoderOutput encoder = strong.encode(
                    Fixtures.array(m, expected, "pixel_values"),
                    Fixtures.array(m, expected, "input_ids"),
                    Fixtures.array(m, expected, "attention_mask"),
                    ForwardOptions.REFERENCE,
                    Trace.NONE);
            long[] tokens = expected.readLongs("greedy_tokens"); // [2, 9]
            float[] want = expected.readFloats("greedy_step_logits"); // [2, 8, 300]
            for (int step = 0; step < 8; step++) {
                NDArray ids = m.create(new long[] {tokens[step], tokens[9 + step]}, new Shape(2, 1));
                float[] got = strong.logits(strong.decode(ids, encoder, cache)).toFloatArray(); // [2, 1, 300]
                for (int row = 0; row < 2; row++) {
                    float[] g = Arrays.copyOfRange(got, row * 300, row * 300 + 300);
                    float[] w = Arrays.copyOfRange(want, (row * 8 + step) * 300, (row * 8 + step + 1) * 300);
                    assertNull(Fixtures.allClose(g, w, 1e-4, 0), "row " + row + " step " + step);
                }
            }
        }
    }

    @Test
    void oneBeamEqualsGreedy() {
        GenerationSettings processors = GenerationSettings.fromConfig(strong.config(), 8);
        for (GenerationSettings s : new GenerationSettings[] {
            processors.withNumBeams(1), GenerationSettings.greedy(8).withEarlyStopping(true)
        }) {
            long[][] greedy = generate(s.withNumBeams(1), false);
            long[][] beam = generate(s.withNumBeams(1), true);
            assertEquals(Arrays.deepToString(greedy), Arrays.deepToString(beam));
        }
    }

    @Test
    void beamSearchIsPinned() {
        GenerationSettings s = GenerationSettings.fromConfig(strong.config(), 8); // 3 beams, no-repeat 3, forced
        assertEquals(
                "[[2, 0, 279, 279, 279, 32, 32, 32, 2], [2, 0, 113, 113, 117, 117, 21, 21, 2]]",
                Arrays.deepToString(generate(s, false)));
        GenerationSettings plain = GenerationSettings.greedy(6).withNumBeams(4).withLengthPenalty(2.0);
        assertEquals(PLAIN_BEAMS, Arrays.deepToString(generate(plain, false)));
        try (Florence2Model tinyA = Florence2Model.load(Fixtures.folder("tiny-a"));
                SafeTensorsFile golden = Fixtures.expected("tiny-a");
                NDManager m = tinyA.manager().newSubManager()) {
            // tiny-a ranks eos first at once: finished hypotheses compete with longer beams
            GenerationSettings s3 = GenerationSettings.greedy(6).withNumBeams(3);
            long[][] tokens = new Generator(tinyA)
                    .generate(
                            Fixtures.array(m, golden, "pixel_values"),
                            Fixtures.array(m, golden, "input_ids"),
                            Fixtures.array(m, golden, "attention_mask"),
                            s3);
            // the finished one-token hypothesis (log p(eos) / 1) loses to the length-normalised 6-token beams
            assertEquals(
                    "[[2, 107, 107, 107, 107, 107, 107], [2, 107, 107, 107, 107, 107, 107]]",
                    Arrays.deepToString(tokens));
        }
    }

    private long[][] generate(GenerationSettings settings, boolean forceBeamCode) {
        try (NDManager m = strong.manager().newSubManager()) {
            NDArray pixels = Fixtures.array(m, expected, "pixel_values");
            NDArray ids = Fixtures.array(m, expected, "input_ids");
            NDArray mask = Fixtures.array(m, expected, "attention_mask");
            Generator generator = new Generator(strong);
            return forceBeamCode
                    ? generator.beamSearch(pixels, ids, mask, settings)
                    : generator.generate(pixels, ids, mask, settings);
        }
    }

    /** Rows padded with pad (1) to {@code width}: the fixture always runs all steps, generation stops early. */
    private static long[] flatten(long[][] rows, int width) {
        long[] out = new long[rows.length * width];
        Arrays.fill(out, 1L);
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * width, rows[r].length);
        }
        return out;
    }
}
