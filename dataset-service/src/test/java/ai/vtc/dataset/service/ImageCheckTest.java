package ai.vtc.dataset.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageCheckTest {
    private static final long LIMIT = 50_000_000L;

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
        assertArrayEquals(new int[] {40, 30}, ImageCheck.decode(encode("png"), LIMIT));
        assertArrayEquals(new int[] {40, 30}, ImageCheck.decode(encode("jpg"), LIMIT));
    }

    @Test
    void rejectsWhatIsNoImage() {
        IOException e = assertThrows(
                IOException.class, () -> ImageCheck.decode("hello".getBytes(StandardCharsets.UTF_8), LIMIT));
        assertTrue(e.getMessage().contains("neither JPEG nor PNG"), e.getMessage());
        assertThrows(IOException.class, () -> ImageCheck.decode(new byte[0], LIMIT));
    }

    @Test
    void rejectsTruncatedImages() throws IOException {
        byte[] png = encode("png");
        assertThrows(IOException.class, () -> ImageCheck.decode(Arrays.copyOf(png, png.length / 2), LIMIT));
        byte[] jpg = encode("jpg");
        assertThrows(IOException.class, () -> ImageCheck.decode(Arrays.copyOf(jpg, jpg.length / 2), LIMIT));
    }

    @Test
    void rejectsADecompressionBombFromItsHeader() throws IOException {
        byte[] bomb = declaring(encode("png"), 100_000, 100_000);
        IOException e = assertTimeoutPreemptively(
                Duration.ofSeconds(30), () -> assertThrows(IOException.class, () -> ImageCheck.decode(bomb, LIMIT)));
        assertTrue(
                e.getMessage().contains("declares 100000 x 100000 pixels, more than the limit of 50000000"),
                e::getMessage);
        assertThrows(IOException.class, () -> ImageCheck.decode(encode("png"), 40 * 30 - 1));
    }

    /** The PNG with the width and height in its IHDR chunk replaced (and the chunk's CRC fixed). */
    private static byte[] declaring(byte[] png, int width, int height) {
        ByteBuffer b = ByteBuffer.wrap(png.clone());
        int ihdr = 8 + 4; // after the signature and the chunk length: "IHDR", width, height, 5 more bytes, CRC
        b.putInt(ihdr + 4, width).putInt(ihdr + 8, height);
        CRC32 crc = new CRC32();
        crc.update(b.array(), ihdr, 4 + 13);
        b.putInt(ihdr + 4 + 13, (int) crc.getValue());
        return b.array();
    }
}
