package ai.vtc.florence2.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads image files for the model, refusing a decompression bomb (a small file that declares, say, 100,000 x 100,000
 * pixels) from its header, before any pixel is decoded. The image processor keeps the decoded image and an int per
 * channel for each pixel, about 16 bytes a pixel, so the default limit of {@value #DEFAULT_MAX_PIXELS} pixels (50
 * megapixels, far above any photo of VQAv2 or COCO) bounds one image to under a gigabyte; set the system property
 * {@value #MAX_PIXELS_PROPERTY} to change it.
 */
public final class ImageFiles {
    /** The system property with the most pixels (width x height) an image may declare. */
    public static final String MAX_PIXELS_PROPERTY = "florence2.max-image-pixels";

    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    static {
        ImageIO.setUseCache(false);
    }

    private ImageFiles() {}

    /** The limit in force: {@value #MAX_PIXELS_PROPERTY}, else {@value #DEFAULT_MAX_PIXELS}. */
    public static long maxPixels() {
        return Long.getLong(MAX_PIXELS_PROPERTY, DEFAULT_MAX_PIXELS);
    }

    /** Decodes {@code file} if its header declares at most {@link #maxPixels()} pixels. */
    public static BufferedImage read(Path file) {
        return read(file, maxPixels());
    }

    public static BufferedImage read(Path file, long maxPixels) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("cannot open image " + file));
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException(file + " is not an image format ImageIO can read (JPEG, PNG)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new IllegalArgumentException(file + " declares " + width + " x " + height
                            + " pixels, more than the limit of " + maxPixels + " (" + MAX_PIXELS_PROPERTY + ")");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + file, e);
        }
    }
}
