package ai.vtc.florence2.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.vtc.contracts.ModelFacts;
import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.VisualPooling;
import ai.vtc.florence2.compress.VisualTokenCompressor;
import ai.vtc.florence2.compress.VisualTokens;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.nn.Trace;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep counts visual tokens before anything runs ({@link ai.vtc.contracts.Compression#visualTokensKept}, the one
 * owner of that arithmetic); the model pools tensors and takes its lengths from them. Both must agree for every mode
 * and factor, or the budget the scheduler reports is not what the language model sees.
 */
class VisualTokenBudgetTest {

    private static final int TEXT = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pooledLengthIsTheSweepsCountForEveryModeAndFactor() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int grid : new int[] {16, 49, 64, 576}) { // tiny model at 64 and 128 px, 7 x 7, base at 768 px
                NDArray hidden = m.zeros(new Shape(1, 1 + grid + TEXT, 2)); // [B, 1 + n + T, D]
                for (Compression c : everySetting(grid)) {
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        NDArray weight = c.isNone() ? null : m.ones(new Shape(c.factor()));
                        long length = VisualPooling.compress(hidden, grid, c, weight)
                                .getShape()
                                .get(1);
                        assertEquals(contracts(c).visualTokensKept(grid) + TEXT, length, c + " on " + grid + " tokens");
                    }
                }
            }
        }
    }

    @Test
    void encoderOutputAndMaskHaveTheSweepsCount() {
        Florence2Config config = Florence2Config.tinyDemo();
        int grid = VisualTokens.gridTokens(config, Florence2ImageProcessor.ofSize(64));
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
                int expected = contracts(c).visualTokensKept(grid) + 7;
                assertEquals(expected, out.hidden().getShape().get(1), c.toString());
                assertEquals(expected, out.mask().getShape().get(1), c + ": the mask follows the hidden states");
            }
        }
    }

    @Test
    void gridTokensAreTheSweepsModelFacts(@TempDir Path dir) throws IOException {
        record Case(String name, Florence2Config config, int pixels, int grid) {}
        for (Case c : List.of(
                new Case("tiny-64", Florence2Config.tinyDemo(), 64, 16),
                new Case("tiny-128", Florence2Config.tinyDemo(), 128, 64),
                new Case("base-768", Florence2Config.base(), 768, 576))) {
            Florence2ImageProcessor processor = Florence2ImageProcessor.ofSize(c.pixels());
            processor.save(dir.resolve(c.name()));
            ModelFacts facts = ModelFacts.fromHuggingFace(
                    JSON.readTree(c.config().toJson()),
                    JSON.readTree(dir.resolve(c.name())
                            .resolve("preprocessor_config.json")
                            .toFile()));
            assertEquals(c.grid(), VisualTokens.gridTokens(c.config(), processor), c.name());
            assertEquals(c.grid(), facts.gridTokens(), c.name());
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
