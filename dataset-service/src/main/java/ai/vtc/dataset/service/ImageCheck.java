package ai.vtc.dataset.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an image completely with ImageIO, so that a truncated or corrupt JPEG or PNG is found at ingest. The size
 * its header declares is checked first: a decompression bomb (a few bytes declaring 100,000 x 100,000 pixels) is
 * refused before a pixel is decoded.
 */
public final class ImageCheck {
    static {
        ImageIO.setUseCache(false);
    }

    private ImageCheck() {}

    /**
     * Width and height of the decoded image; an {@link IOException} says why it cannot be decoded, or that it
     * declares more than {@code maxPixels} pixels.
     */
    public static int[] decode(byte[] bytes, long maxPixels) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(
                        "neither JPEG nor PNG (" + bytes.length + " bytes, starting " + head(bytes) + ")");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                StringBuilder truncated = new StringBuilder();
                reader.addIIOReadWarningListener((source, warning) -> {
                    if (warning.contains("Truncated") || warning.contains("Premature end")) {
                        truncated.append(warning);
                    }
                });
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new IOException("declares " + reader.getWidth(0) + " x " + reader.getHeight(0)
                            + " pixels, more than the limit of " + maxPixels + " (datasets.max-image-pixels)");
                }
                try {
                    var image = reader.read(0);
                    if (!truncated.isEmpty()) {
                        throw new IOException("truncated: " + truncated);
                    }
                    return new int[] {image.getWidth(), image.getHeight()};
                } catch (IIOException e) {
                    if (e.getMessage() == null || !e.getMessage().contains("Unsupported Image Type")) {
                        throw e;
                    }
                    // CMYK and YCCK JPEGs (a few in COCO) have no BufferedImage type, but their pixels decode
                    var raster = reader.readRaster(0, null);
                    return new int[] {raster.getWidth(), raster.getHeight()};
                }
            } catch (RuntimeException e) {
                throw new IOException(e.toString(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    private static String head(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            s.append(String.format("%02x", bytes[i]));
        }
        return s.length() == 0 ? "empty" : s.toString();
    }
}
