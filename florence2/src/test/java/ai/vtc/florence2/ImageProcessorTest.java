package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.florence2.image.PilResize;
import java.awt.image.BufferedImage;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Resizing against Pillow's own output, normalisation against the processor's arithmetic. */
class ImageProcessorTest {

    @ParameterizedTest
    @CsvSource({
        "pattern.png, pattern, 3",
        "pattern-grey.png, pattern-grey, 3",
        "pattern-rgba.png, pattern-rgba, 3",
        "pattern.png, pattern, 2",
    })
    void resizeIsPillowExact(String source, String tag, int filter) {
        BufferedImage image = Florence2ImageProcessor.read(image(source));
        int[] rgb = Florence2ImageProcessor.rgb(image);
        int[][] sizes = filter == PilResize.BICUBIC
                ? new int[][] {{128, 128}, {64, 48}, {300, 200}, {173, 90}}
                : new int[][] {{128, 128}};
        for (int[] size : sizes) {
            String name = "expected-" + tag + "-" + (filter == 3 ? "bicubic" : "bilinear") + "-" + size[0] + "x"
                    + size[1] + ".png";
            int[] want = Florence2ImageProcessor.rgb(Florence2ImageProcessor.read(image(name)));
            int[] got = PilResize.resize(rgb, image.getWidth(), image.getHeight(), size[0], size[1], filter);
            assertArrayEquals(want, got, name);
        }
    }

    @Test
    void jpegDecodesCloseToPillow() {
        BufferedImage image = Florence2ImageProcessor.read(image("pattern.jpg"));
        int[] got = PilResize.resize(
                Florence2ImageProcessor.rgb(image), image.getWidth(), image.getHeight(), 128, 128, PilResize.BICUBIC);
        int[] want = Florence2ImageProcessor.rgb(
                Florence2ImageProcessor.read(image("expected-pattern-jpg-bicubic-128x128.png")));
        int maxDiff = 0;
        for (int i = 0; i < got.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
        }
        assertTrue(maxDiff <= 3, "JPEG decoders differ by " + maxDiff); // ImageIO's libjpeg vs libjpeg-turbo IDCT
    }

    @Test
    void normalisesLikeTheProcessor() {
        Florence2ImageProcessor processor = Florence2ImageProcessor.ofSize(128);
        BufferedImage image = Florence2ImageProcessor.read(image("pattern.png"));
        float[] pixels = processor.preprocess(image);
        assertEquals(3 * 128 * 128, pixels.length);
        int[] resized = Florence2ImageProcessor.rgb(
                Florence2ImageProcessor.read(image("expected-pattern-bicubic-128x128.png")));
        // red channel of pixel (row 5, column 7) and blue channel of the last pixel, in float32 like numpy
        int p = 5 * 128 + 7;
        float red = ((float) (resized[p * 3] * (1.0 / 255.0)) - 0.485f) / 0.229f;
        assertEquals(red, pixels[p], 0f);
        int last = 128 * 128 - 1;
        float blue = ((float) (resized[last * 3 + 2] * (1.0 / 255.0)) - 0.406f) / 0.225f;
        assertEquals(blue, pixels[2 * 128 * 128 + last], 0f);
    }

    static Path image(String name) {
        try {
            return Path.of(
                    ImageProcessorTest.class.getResource("/images/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
