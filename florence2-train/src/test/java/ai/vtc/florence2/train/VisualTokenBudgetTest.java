package ai.vtc.florence2.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.vtc.contracts.CompressionMethod;
import ai.vtc.contracts.ModelFacts;
import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.GridInputs;
import ai.vtc.florence2.compress.Pool2d;
import ai.vtc.florence2.compress.RandomSelection;
import ai.vtc.florence2.compress.VisualPooling;
import ai.vtc.florence2.compress.VisualTokenCompressor;
import ai.vtc.florence2.compress.VisualTokens;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.nn.Trace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep counts visual tokens before anything runs ({@link ModelFacts#visualTokens}, the one owner of that
 * arithmetic); the model pools tensors and takes its lengths from them. Both must agree for every mode and factor, or
 * the budget the scheduler and the worker report is not what the language model sees. The pooling modes are checked
 * through the model's own encoder too (hidden states and mask); the grid methods on their tensor functions.
 */
class VisualTokenBudgetTest {

    private static final int TEXT = 5;

    @Test
    void pooledLengthIsTheSweepsCountForEveryModeAndFactor() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int side : new int[] {4, 7, 8, 24}) { // tiny model at 64 and 128 px, 7 x 7, base at 768 px
                int grid = side * side;
                ModelFacts facts = new ModelFacts(4, side, side);
                NDArray hidden = m.zeros(new Shape(1, 1 + grid + TEXT, 2)); // [B, 1 + n + T, D]
                for (Compression c : everySetting(grid)) {
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        NDArray weight = c.isNone() ? null : m.ones(new Shape(c.factor()));
                        long length = VisualPooling.compress(hidden, grid, c, weight)
                                .getShape()
                                .get(1);
                        assertEquals(facts.visualTokens(contracts(c)) + TEXT, length, c + " on " + grid + " tokens");
                    }
                }
            }
        }
    }

    @Test
    void gridMethodsKeepTheSweepsCountForEveryKernelAndBudget() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int side : new int[] {4, 7, 24}) {
                int grid = side * side;
                ModelFacts facts = new ModelFacts(4, side, side);
                NDArray tokens = m.zeros(new Shape(1, grid, 2)); // [B, n, D]
                for (int k = 1; k <= side; k++) {
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        long kept = new Pool2d(k)
                                .compress(GridInputs.of(tokens, side, side))
                                .grid()
                                .getShape()
                                .get(1);
                        var sweep = new ai.vtc.contracts.Compression(Pool2d.ID, k, 0, null);
                        assertEquals((long) facts.visualTokens(sweep), 1 + kept, "pool2d k=" + k + " on " + grid);
                    }
                }
                for (int keep = 1; keep < grid; keep++) {
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        long kept = new RandomSelection(keep, 0)
                                .compress(new GridInputs(tokens, side, side, null, null, new long[] {7}))
                                .grid()
                                .getShape()
                                .get(1);
                        var sweep = ai.vtc.contracts.Compression.selection(CompressionMethod.RANDOM, keep, 0);
                        assertEquals((long) facts.visualTokens(sweep), 1 + kept, "keep " + keep + " of " + grid);
                    }
                }
            }
        }
    }

    @Test
    void encoderOutputAndMaskHaveTheSweepsCount() {
        Florence2Config config = Florence2Config.tinyDemo();
        int grid = VisualTokens.gridTokens(config, Florence2ImageProcessor.ofSize(64));
        ModelFacts facts = new ModelFacts(4, 4, 4);
        for (Compression c : everySetting(grid)) {
            // one pooling weight length per model: a fresh model for every learnable_pool factor
            try (Florence2Model model = Florence2Model.random(config, 0);
                    NDManager m = model.manager().newSubManager()) {
                NDArray pixels = m.randomNormal(new Shape(1, 3, 64, 64));
                NDArray ids = m.create(new long[] {0, 17, 250, 31, 99, 2, 1}, new Shape(1, 7));
                NDArray mask = m.create(new long[] {1, 1, 1, 1, 1, 1, 0}, new Shape(1, 7));
                ForwardOptions options = ForwardOptions.REFERENCE
                        .withPaddingMask(true)
                        .withEncoderHook(VisualTokenCompressor.forModel(model, c));
                EncoderOutput out = model.encode(pixels, ids, mask, options, Trace.NONE);
                int expected = facts.visualTokens(contracts(c)) + 7;
                assertEquals(expected, out.hidden().getShape().get(1), c.toString());
                assertEquals(expected, out.mask().getShape().get(1), c + ": the mask follows the hidden states");
            }
        }
    }

    @Test
    void aModelFolderHasTheGridTheModelMakes(@TempDir Path dir) throws IOException {
        record Case(String name, Florence2Config config, Florence2ImageProcessor processor, int grid) {}
        for (Case c : List.of(
                new Case("tiny-64", Florence2Config.tinyDemo(), Florence2ImageProcessor.ofSize(64), 16),
                new Case("tiny-128", Florence2Config.tinyDemo(), Florence2ImageProcessor.ofSize(128), 64),
                new Case("base-768", Florence2Config.base(), Florence2ImageProcessor.ofSize(768), 576),
                new Case("base-no-preprocessor", Florence2Config.base(), null, 576))) {
            Path folder = Files.createDirectories(dir.resolve(c.name()));
            Files.writeString(folder.resolve("config.json"), c.config().toJson());
            if (c.processor() != null) {
                c.processor().save(folder);
            }
            Florence2ImageProcessor used = Florence2ImageProcessor.fromFolder(folder);
            assertEquals(c.grid(), VisualTokens.gridTokens(c.config(), used), c.name());
            assertEquals(c.grid(), ModelFolderFacts.read(folder).gridTokens(), c.name());
            assertEquals(
                    1 + c.grid() / 4,
                    ModelFolderFacts.read(folder).visualTokens(contracts(Compression.avgPool(4, 0, false))),
                    c.name());
        }
    }

    /** none, then avg_pool and learnable_pool with every factor the grid allows, sorted and at varied stages. */
    private static List<Compression> everySetting(int grid) {
        List<Compression> out = new ArrayList<>();
        out.add(Compression.none());
        for (int f = 2; f <= grid; f++) {
            out.add(Compression.avgPool(f, f % 5, f % 2 == 0));
            out.add(Compression.learnablePool(f, f % 5, f % 3 == 0));
        }
        return out;
    }

    /** The same setting as a sweep's trial spec carries it. */
    private static ai.vtc.contracts.Compression contracts(Compression c) {
        return c.isNone()
                ? ai.vtc.contracts.Compression.none()
                : new ai.vtc.contracts.Compression(c.mode().id(), c.factor(), c.stage(), c.sorted());
    }
}
