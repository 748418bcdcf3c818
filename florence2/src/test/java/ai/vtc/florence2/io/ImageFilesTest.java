package ai.vtc.florence2.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A decompression bomb is refused from its header, before a pixel is decoded; ordinary images still read. */
class ImageFilesTest {
    @TempDir
    Path dir;

    @Test
    void aPngDeclaringTenGigapixelsIsRefusedBeforeDecoding() throws IOException {
        Path bomb = dir.resolve("bomb.png");
        Files.write(bomb, png(100_000, 100_000));
        assertTrue(Files.size(bomb) < 200, "a few bytes: " + Files.size(bomb));
        IllegalArgumentException e = assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> assertThrows(IllegalArgumentException.class, () -> ImageFiles.read(bomb)));
        assertTrue(
                e.getMessage().contains("declares 100000 x 100000 pixels, more than the limit of 50000000"),
                e::getMessage);
        assertTrue(e.getMessage().contains(ImageFiles.MAX_PIXELS_PROPERTY), e::getMessage);
    }

    @Test
    void imagesWithinTheLimitDecodeAndTheLimitIsAParameter() throws IOException {
        Path small = dir.resolve("small.png");
        ImageIO.write(new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB), "png", small.toFile());
        BufferedImage image = ImageFiles.read(small);
        assertEquals(8, image.getWidth());
        assertEquals(4, image.getHeight());
        assertThrows(IllegalArgumentException.class, () -> ImageFiles.read(small, 31));
        assertEquals(8, ImageFiles.read(small, 32).getWidth());
    }

    /** A PNG of {@code width} x {@code height} RGB pixels whose only data is one row of zeros. */
    private static byte[] png(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(
                out,
                "IHDR",
                ByteBuffer.allocate(13)
                        .putInt(width)
                        .putInt(height)
                        .put((byte) 8) // bit depth
                        .put((byte) 2) // RGB
                        .put(new byte[3]) // deflate, adaptive filtering, no interlace
                        .array());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[1 + 3 * 16]);
        deflater.finish();
        byte[] idat = new byte[128];
        int length = deflater.deflate(idat);
        deflater.end();
        chunk(out, "IDAT", java.util.Arrays.copyOf(idat, length));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(name);
        out.write(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
