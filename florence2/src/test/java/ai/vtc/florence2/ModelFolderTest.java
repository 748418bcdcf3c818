package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.florence2.generate.GenerationSettings;
import ai.vtc.florence2.nn.Param;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random initialisation from a config, saving and loading a model folder. */
class ModelFolderTest {

    @Test
    void sameSeedSameWeightsAndImageProjectionIsInitialised() {
        try (Florence2Pipeline a = Florence2Pipeline.createTinyDemo(1);
                Florence2Pipeline b = Florence2Pipeline.createTinyDemo(1);
                Florence2Pipeline c = Florence2Pipeline.createTinyDemo(2)) {
            for (Param p : a.model().parameters().params()) {
                float[] va = p.array().toFloatArray();
                assertArrayEquals(
                        va, b.model().parameters().param(p.name()).array().toFloatArray(), p.name());
            }
            float[] projection =
                    a.model().parameters().param("image_projection").array().toFloatArray();
            assertFalse(Arrays.equals(
                    projection,
                    c.model().parameters().param("image_projection").array().toFloatArray()));
            double sumSq = 0;
            for (float v : projection) {
                assertTrue(Float.isFinite(v) && Math.abs(v) <= 0.04f, "truncated at 2 std: " + v);
                sumSq += v * v;
            }
            double std = Math.sqrt(sumSq / projection.length);
            assertTrue(std > 0.015 && std < 0.02, "std " + std); // truncated normal, std 0.02 before truncation
            float[] padRow = Arrays.copyOfRange(
                    a.model()
                            .parameters()
                            .param("language_model.model.shared.weight")
                            .array()
                            .toFloatArray(),
                    128,
                    256);
            assertArrayEquals(new float[128], padRow, "the padding token's embedding starts at zero");
        }
    }

    @Test
    void savedFolderLoadsBackIdentically(@TempDir Path dir) {
        BufferedImage image = Florence2ImageProcessor.read(ImageProcessorTest.image("pattern.png"));
        GenerationSettings settings = GenerationSettings.fromConfig(Florence2Config.tinyDemo(), 6);
        String before;
        try (Florence2Pipeline created = Florence2Pipeline.createTinyDemo(5)) {
            created.save(dir);
            before = created.generate(image, "<VQA>what color is the circle?", settings);
            for (String file :
                    new String[] {"config.json", "model.safetensors", "tokenizer.json", "preprocessor_config.json"}) {
                assertTrue(Files.isRegularFile(dir.resolve(file)), file);
            }
            try (Florence2Pipeline loaded = Florence2Pipeline.load(dir)) {
                assertEquals(128, loaded.imageProcessor().height());
                for (Param p : created.model().parameters().params()) {
                    assertArrayEquals(
                            p.array().toFloatArray(),
                            loaded.model().parameters().param(p.name()).array().toFloatArray(),
                            p.name());
                }
                assertEquals(before, loaded.generate(image, "<VQA>what color is the circle?", settings));
            }
        }
    }
}
