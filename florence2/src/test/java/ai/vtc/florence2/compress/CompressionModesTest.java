package ai.vtc.florence2.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Model;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every mode of {@link Compression}: the typed and the loosely typed factories agree, parameters a mode does not take
 * and missing ones are named, the model-independent rules hold in the constructor and the model's in {@link
 * Compression#validateFor}, and {@link CompressionHooks} makes each mode's hook. The tiny demo model at 64 px has 4
 * encoder layers and a 4 x 4 grid; its position embedding covers 50 rows and columns at a stride of 16 pixels.
 */
class CompressionModesTest {

    private static final Florence2Config TINY = Florence2Config.tinyDemo();
    private static final Florence2ImageProcessor PX64 = Florence2ImageProcessor.ofSize(64);

    @Test
    void looseSettingsGiveTheTypedOnes() {
        assertEquals(Compression.pool2d(2, 1), Compression.of("pool2d", 2, 1, null, null, null, null, 5));
        assertEquals(Compression.attnPrune(6, 2), Compression.of("attn_prune", null, 2, false, 6, null, null, 5));
        assertEquals(Compression.divPrune(6, 0), Compression.of("divprune", null, 0, null, 6, null, null, 5));
        assertEquals(
                Compression.dominantMerge(64, 54, 2),
                Compression.of("dominant_merge", null, 2, null, 64, null, null, 5),
                "dominant defaults to min(round(0.84 keep), keep - 1)");
        assertEquals(
                Compression.dominantMerge(8, 3, 1), Compression.of("dominant_merge", null, 1, null, 8, 3, null, 5));
        assertEquals(Compression.random(6, 0, 5), Compression.of("random", null, 0, null, 6, null, null, 5));
        assertEquals(Compression.downsample(384), Compression.of("downsample", null, null, null, null, null, 384, 5));
        assertEquals(Compression.avgPool(4, 2, true), Compression.of("avg_pool", 4, 2, true, null, null, null, 5));
        assertEquals(Compression.none(), Compression.of("none", null, null, null, null, null, null, 5));
        assertEquals(0, Compression.attnPrune(6, 2).seed(), "only random keeps the seed");
    }

    @Test
    void settingsPrintWithTheirParameters() {
        assertEquals("pool2d f=3 stage=2", Compression.pool2d(3, 2).toString());
        assertEquals(
                "dominant_merge keep=64 dominant=54 stage=2",
                Compression.dominantMerge(64, 2).toString());
        assertEquals(
                "random keep=36 stage=0 seed=3", Compression.random(36, 0, 3).toString());
        assertEquals("downsample size=384", Compression.downsample(384).toString());
        assertEquals(
                "avg_pool f=4 stage=2 sorted", Compression.avgPool(4, 2, true).toString());
    }

    @Test
    void parametersAModeDoesNotTakeOrLacksAreNamed() {
        message(
                "parameters that do not apply to compression avg_pool: keep, image_size (it takes factor, stage, sorted)",
                () -> Compression.of("avg_pool", 4, 0, null, 36, null, 384, 0));
        message(
                "parameters that do not apply to compression attn_prune: factor, sorted",
                () -> Compression.of("attn_prune", 4, 2, true, 36, null, null, 0));
        message(
                "parameters that do not apply to compression downsample: stage",
                () -> Compression.of("downsample", null, 0, null, null, null, 384, 0));
        message(
                "parameters that do not apply to compression divprune: dominant",
                () -> Compression.of("divprune", null, 0, null, 36, 30, null, 0));
        message("keep is required for random", () -> Compression.of("random", null, 0, null, null, null, null, 0));
        message(
                "stage is required for attn_prune",
                () -> Compression.of("attn_prune", null, null, null, 9, null, null, 0));
        message(
                "image_size is required for downsample",
                () -> Compression.of("downsample", null, null, null, null, null, null, 0));
        message("factor is required for pool2d", () -> Compression.of("pool2d", null, 0, null, null, null, null, 0));
        message(
                "parameters that do not apply to compression divprune: seed",
                () -> new Compression(CompressionMode.DIVPRUNE, 1, 0, false, 4, 0, 0, 7));
    }

    @Test
    void rulesWithoutAModelAreCheckedWhenTheSettingIsMade() {
        message("pool2d kernel must be >= 1, got 0", () -> Compression.pool2d(0, 0));
        message("attn_prune keep must be in 1..", () -> Compression.attnPrune(0, 1));
        message("attn_prune needs stage >= 1", () -> Compression.attnPrune(4, 0));
        message("dominant_merge needs stage >= 1", () -> Compression.dominantMerge(4, 0));
        message("dominant_merge keep must be >= 2", () -> Compression.dominantMerge(1, 1));
        message("dominant_merge dominant must be in 1..3", () -> Compression.dominantMerge(4, 4, 1));
        message("stage must be >= 0", () -> Compression.random(4, -1, 0));
        message("image_size must be a positive multiple of 32", () -> Compression.downsample(100));
        message("image_size must be a positive multiple of 32", () -> Compression.downsample(0));
        assertEquals(1, Compression.pool2d(1, 0).factor(), "kernel 1, the identity, is a library setting");
    }

    @Test
    void rulesOfAModelAreCheckedAgainstItsGridAndDepth() {
        Compression.divPrune(16, 0).validateFor(TINY, PX64); // keep = n, the identity, is a library setting
        Compression.pool2d(4, 4).validateFor(TINY, PX64);
        Compression.downsample(800).validateFor(TINY, PX64); // 50 x 50, the position embedding's reach
        message(
                "divprune keep must be in 1..16 (the image has 16 grid tokens), got 17",
                () -> Compression.divPrune(17, 0).validateFor(TINY, PX64));
        message(
                "pool2d kernel must be in 1..4 for a 4x4 grid, got 5",
                () -> Compression.pool2d(5, 0).validateFor(TINY, PX64));
        message(
                "stage must be in 0..4 for a model with 4 encoder layers",
                () -> Compression.random(4, 5, 0).validateFor(TINY, PX64));
        message(
                "downsample image_size 832 gives a 52 x 52 grid; the model's position embedding covers 1..50",
                () -> Compression.downsample(832).validateFor(TINY, PX64));
        message(
                "keep must be in 1..64",
                () -> Compression.attnPrune(65, 1).validateFor(TINY, Florence2ImageProcessor.ofSize(128)));
    }

    @Test
    void downsampleRunsTheProcessorAtItsSize() {
        Florence2ImageProcessor small = Compression.downsample(32).imageProcessor(PX64);
        assertEquals(32, small.height());
        assertEquals(32, small.width());
        assertEquals(PX64.resample(), small.resample());
        assertEquals(PX64, Compression.random(4, 0, 1).imageProcessor(PX64));
    }

    @Test
    void stagedSchedulesAreForTheOneDimensionalPoolingsOnly() {
        message(
                "compression_schedule[0]: a staged schedule needs a pooling compression mode (avg_pool or"
                        + " learnable_pool), the trial's is attn_prune",
                () -> new CompressionSchedule(
                        Compression.attnPrune(4, 2), List.of(new CompressionSchedule.Phase(10, 0, 2))));
        assertEquals(
                Compression.downsample(32),
                CompressionSchedule.constant(Compression.downsample(32))
                        .validateFor(TINY, PX64)
                        .at(3));
    }

    @Test
    void eachModeGetsItsHook() {
        try (Florence2Model model = Florence2Model.random(TINY, 0)) {
            assertNull(CompressionHooks.forModel(model, Compression.none()));
            assertNull(CompressionHooks.forModel(model, Compression.downsample(32)));
            assertInstanceOf(
                    VisualTokenCompressor.class, CompressionHooks.forModel(model, Compression.avgPool(2, 0, false)));
            GridCompressionHook attention = assertInstanceOf(
                    GridCompressionHook.class, CompressionHooks.forModel(model, Compression.attnPrune(4, 3)));
            assertEquals(2, attention.attentionLayer(), "attn_prune at stage 3 reads layer 2");
            assertEquals(
                    new RandomSelection(4, 9),
                    ((GridCompressionHook) CompressionHooks.forModel(model, Compression.random(4, 0, 9))).method());
            message("stage must be in 0..4", () -> CompressionHooks.forModel(model, Compression.divPrune(4, 5)));
            message(
                    "VisualTokenCompressor pools avg_pool and learnable_pool, not pool2d",
                    () -> VisualTokenCompressor.forModel(model, Compression.pool2d(2, 0)));
        }
    }

    private static void message(String expected, Executable call) {
        InvalidCompressionException e = assertThrows(InvalidCompressionException.class, call, expected);
        assertTrue(e.getMessage().contains(expected), () -> "message: " + e.getMessage());
    }
}
