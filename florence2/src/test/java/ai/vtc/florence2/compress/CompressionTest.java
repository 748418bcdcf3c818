package ai.vtc.florence2.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.nn.Tensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pooling arithmetic against a naive per-window loop, masks, grid sizes, and the messages of invalid settings. */
class CompressionTest {

    private static final int B = 2;
    private static final int D = 3;
    private static final int TEXT = 4;
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @ParameterizedTest
    @CsvSource({
        "avg_pool, 4, false, 16",
        "avg_pool, 4, true, 16",
        "avg_pool, 4, false, 10",
        "avg_pool, 3, true, 10",
        "learnable_pool, 4, false, 16",
        "learnable_pool, 4, false, 10",
        "learnable_pool, 4, true, 10",
        "learnable_pool, 3, true, 11"
    })
    void poolingMatchesNaiveLoop(String mode, int factor, boolean sorted, int grid) {
        Compression c = Compression.of(mode, factor, 0, sorted);
        float[] h = random(B * (1 + grid + TEXT) * D, 1);
        float[] w = random(factor, 2);
        NDArray hidden = Tensors.floats(manager, h, new Shape(B, 1 + grid + TEXT, D));
        NDArray weight = Tensors.floats(manager, w, new Shape(factor));
        NDArray out = VisualPooling.compress(hidden, grid, c, weight);
        int pooled = naivePooledLength(grid, c);
        assertEquals(new Shape(B, 1 + pooled + TEXT, D), out.getShape());
        assertArrayEquals(naive(h, grid, c, w), out.toFloatArray(), 1e-5f);
    }

    @Test
    void learnableWithOneOverFEqualsAveragePooling() {
        float[] h = random(B * (1 + 16 + TEXT) * D, 3);
        NDArray hidden = Tensors.floats(manager, h, new Shape(B, 1 + 16 + TEXT, D));
        for (int f : new int[] {2, 4, 8, 16}) {
            for (boolean sorted : new boolean[] {false, true}) {
                float[] w = new float[f];
                java.util.Arrays.fill(w, 1f / f);
                NDArray learnable = VisualPooling.compress(
                        hidden, 16, Compression.learnablePool(f, 0, sorted), Tensors.floats(manager, w, new Shape(f)));
                NDArray average = VisualPooling.compress(hidden, 16, Compression.avgPool(f, 0, sorted), null);
                assertArrayEquals(average.toFloatArray(), learnable.toFloatArray(), 1e-6f, "f=" + f);
            }
        }
    }

    @Test
    void maskFollowsTheNewLength() {
        NDArray mask = Tensors.longs(
                manager, new long[] {1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 8)); // 1+5+2
        NDArray out = VisualPooling.compressMask(mask, 5, 2);
        assertArrayEquals(new long[] {1, 1, 1, 1, 0, 1, 1, 1, 1, 1}, out.toLongArray());
    }

    @Test
    void gridTokenCounts() {
        Florence2Config tiny = Florence2Config.tinyDemo();
        assertEquals(64, VisualTokens.gridTokens(tiny, Florence2ImageProcessor.ofSize(128)));
        assertEquals(16, VisualTokens.gridTokens(tiny, Florence2ImageProcessor.ofSize(64)));
        assertEquals(576, VisualTokens.gridTokens(Florence2Config.base(), Florence2ImageProcessor.ofSize(768)));
    }

    @Test
    void invalidSettingsNameTheSettingAndTheAllowedRange() {
        message("factor must be >= 2 for avg_pool", () -> Compression.of("avg_pool", 1, 0, false));
        message("factor must be >= 2 for learnable_pool", () -> Compression.of("learnable_pool", 0, 0, false));
        message("stage must be >= 0", () -> Compression.of("avg_pool", 2, -1, false));
        message(
                "compression mode must be one of none, avg_pool, learnable_pool, pool2d, attn_prune, divprune,"
                        + " dominant_merge, random, downsample, got \"max_pool\"",
                () -> Compression.of("max_pool", 2, 0, false));
        message("factor is required for avg_pool", () -> Compression.of("avg_pool", null, 0, false));
        message("stage is required for learnable_pool", () -> Compression.of("learnable_pool", 2, null, false));
        message("do not apply to compression none", () -> Compression.of("none", 4, null, null));
        message(
                "stage must be in 0..4 for a model with 4 encoder layers (4 = on the encoder output, before"
                        + " cross-attention), got 5",
                () -> Compression.avgPool(2, 5, false).validateFor(4, 16));
        message(
                "factor must be in 2..16 (the image has 16 grid tokens), got 32",
                () -> Compression.avgPool(32, 0, false).validateFor(4, 16));
        message(
                "compression_schedule[1].until_step must be > 100",
                () -> new CompressionSchedule(
                        Compression.avgPool(4, 2, false),
                        List.of(new CompressionSchedule.Phase(100, 0, 8), new CompressionSchedule.Phase(50, 1, 4))));
        message(
                "compression_schedule[0].factor must be >= 2",
                () -> new CompressionSchedule(
                        Compression.avgPool(4, 2, false), List.of(new CompressionSchedule.Phase(100, 0, 1))));
        message(
                "compression_schedule[0].factor must equal the trial's factor 4 for learnable_pool",
                () -> new CompressionSchedule(
                        Compression.learnablePool(4, 2, false), List.of(new CompressionSchedule.Phase(100, 0, 8))));
        message(
                "compression_schedule[0].stage must be in 0..4",
                () -> new CompressionSchedule(
                                Compression.avgPool(4, 2, false), List.of(new CompressionSchedule.Phase(100, 7, 4)))
                        .validateFor(4, 16));
        message(
                "needs a pooling compression mode",
                () -> new CompressionSchedule(Compression.none(), List.of(new CompressionSchedule.Phase(10, 0, 2))));
    }

    @Test
    void invalidSettingsFailOnAModelToo() {
        try (Florence2Model model = Florence2Model.random(Florence2Config.tinyDemo(), 0)) {
            message(
                    "stage must be in 0..4",
                    () -> VisualTokenCompressor.forModel(model, Compression.avgPool(2, 5, false)));
            VisualTokenCompressor hook = VisualTokenCompressor.forModel(model, Compression.avgPool(32, 0, false));
            message("factor must be in 2..16 (the image has 16 grid tokens), got 32", () -> hook.bind(17));
            model.visualPoolingWeight(4);
            message(
                    "factor 2 does not match the model's language_model.model.encoder.visual_pooling.weight of length 4",
                    () -> VisualTokenCompressor.forModel(model, Compression.learnablePool(2, 0, false)));
        }
    }

    @Test
    void stagedScheduleAppliesPhasesThenTheTrialSetting() {
        CompressionSchedule s = new CompressionSchedule(
                Compression.avgPool(2, 3, true),
                List.of(new CompressionSchedule.Phase(10, 0, 8), new CompressionSchedule.Phase(20, 1, 4)));
        assertEquals(Compression.avgPool(8, 0, true), s.at(0));
        assertEquals(Compression.avgPool(8, 0, true), s.at(9));
        assertEquals(Compression.avgPool(4, 1, true), s.at(10));
        assertEquals(Compression.avgPool(2, 3, true), s.at(20));
        assertEquals(Compression.avgPool(2, 3, true), s.at(1_000));
    }

    @Test
    void poolingWeightIsSavedAndLoadedWithTheModel(@TempDir Path dir) {
        try (Florence2Model model = Florence2Model.random(Florence2Config.tinyDemo(), 0)) {
            assertTrue(model.visualPoolingWeight().isEmpty());
            var w = model.visualPoolingWeight(4);
            assertArrayEquals(
                    new float[] {0.25f, 0.25f, 0.25f, 0.25f}, w.array().toFloatArray());
            model.parameters().setValues(w, new float[] {0.1f, 0.2f, 0.3f, 0.4f});
            model.save(dir);
        }
        try (Florence2Model loaded = Florence2Model.load(dir)) {
            assertArrayEquals(
                    new float[] {0.1f, 0.2f, 0.3f, 0.4f},
                    loaded.visualPoolingWeight().orElseThrow().array().toFloatArray());
        }
    }

    private static void message(String expected, Executable call) {
        InvalidCompressionException e = assertThrows(InvalidCompressionException.class, call::execute, expected);
        assertTrue(e.getMessage().contains(expected), () -> "message: " + e.getMessage());
    }

    /** The reference definition, window by window in double precision. */
    private static float[] naive(float[] h, int grid, Compression c, float[] w) {
        int f = c.factor();
        int pooled = naivePooledLength(grid, c);
        int inLength = 1 + grid + TEXT;
        int outLength = 1 + pooled + TEXT;
        float[] out = new float[B * outLength * D];
        for (int b = 0; b < B; b++) {
            for (int d = 0; d < D; d++) {
                double[] column = new double[grid];
                for (int t = 0; t < grid; t++) {
                    column[t] = h[(b * inLength + 1 + t) * D + d];
                }
                if (c.sorted()) {
                    java.util.Arrays.sort(column);
                }
                out[(b * outLength) * D + d] = h[(b * inLength) * D + d];
                for (int k = 0; k < pooled; k++) {
                    double sum = 0;
                    for (int j = 0; j < f; j++) {
                        int t = k * f + j;
                        double x = t < grid ? column[t] : 0; // learnable: zero padding at the end
                        sum += c.mode() == CompressionMode.AVG_POOL ? x / f : x * w[j];
                    }
                    out[(b * outLength + 1 + k) * D + d] = (float) sum;
                }
                for (int t = 0; t < TEXT; t++) {
                    out[(b * outLength + 1 + pooled + t) * D + d] = h[(b * inLength + 1 + grid + t) * D + d];
                }
            }
        }
        return out;
    }

    /** The reference's pooled grid length: floor(n/f) as avg_pool1d, ceil(n/f) with learnable_pool's zero padding. */
    private static int naivePooledLength(int grid, Compression c) {
        return c.mode() == CompressionMode.AVG_POOL ? grid / c.factor() : (grid + c.factor() - 1) / c.factor();
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** A call that may throw anything. */
    @FunctionalInterface
    interface Executable {
        void execute() throws Throwable;
    }
}
