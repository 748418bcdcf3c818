package ai.vtc.dataset.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageCheckTest {
    private static byte[] encode(String format) throws IOException {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillOval(5, 5, 20, 15);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    @Test
    void decodesJpegAndPng() throws IOException {
        assertArrayEquals(new int[] {40, 30}, ImageCheck.decode(encode("png")));
        assertArrayEquals(new int[] {40, 30}, ImageCheck.decode(encode("jpg")));
    }

    @Test
    void rejectsWhatIsNoImage() {
        IOException e =
                assertThrows(IOException.class, () -> ImageCheck.decode("hello".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("neither JPEG nor PNG"), e.getMessage());
        assertThrows(IOException.class, () -> ImageCheck.decode(new byte[0]));
    }

    @Test
    void rejectsTruncatedImages() throws IOException {
        byte[] png = encode("png");
        assertThrows(IOException.class, () -> ImageCheck.decode(Arrays.copyOf(png, png.length / 2)));
        byte[] jpg = encode("jpg");
        assertThrows(IOException.class, () -> ImageCheck.decode(Arrays.copyOf(jpg, jpg.length / 2)));
    }
}
