package ai.vtc.florence2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.image.PilResize;
import ai.vtc.florence2.io.ImageFiles;
import ai.vtc.florence2.nn.Tensors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Florence-2's image preprocessing (its {@code CLIPImageProcessor} settings): convert to RGB, resize to the configured
 * size with Pillow's bicubic filter (reimplemented exactly in {@link PilResize}, the same 8-bit result as {@code
 * PIL.Image.resize}), rescale by 1/255, normalise with the ImageNet mean/std, channels first. Reads JPEG and PNG with
 * {@code ImageIO}; JPEG decoding can differ from Pillow's libjpeg-turbo by a unit in a few pixels.
 *
 * @param height target height ({@code size.height} of preprocessor_config.json)
 * @param width target width
 * @param mean per-channel mean ({@code image_mean})
 * @param std per-channel standard deviation ({@code image_std})
 * @param rescaleFactor {@code rescale_factor}, 1/255
 * @param resample Pillow filter id ({@code resample}: 3 bicubic, 2 bilinear)
 */
public record Florence2ImageProcessor(
        int height, int width, float[] mean, float[] std, double rescaleFactor, int resample) {

    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Square images of {@code size} pixels with Florence-2's defaults. */
    public static Florence2ImageProcessor ofSize(int size) {
        return new Florence2ImageProcessor(size, size, IMAGENET_MEAN, IMAGENET_STD, 1.0 / 255.0, PilResize.BICUBIC);
    }

    /**
     * The same resize and normalisation to {@code size} x {@code size} pixels (downsample: the model run on a smaller
     * image than it was configured for).
     */
    public Florence2ImageProcessor withSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("image size must be >= 1, got " + size);
        }
        return new Florence2ImageProcessor(size, size, mean.clone(), std.clone(), rescaleFactor, resample);
    }

    /** From {@code preprocessor_config.json}; without that file, Florence-2's 768 px defaults. */
    public static Florence2ImageProcessor fromFolder(Path folder) {
        Path file = folder.resolve("preprocessor_config.json");
        if (!Files.isRegularFile(file)) {
            return ofSize(768);
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            JsonNode size = n.path("size");
            int h = size.path("height").asInt(size.path("shortest_edge").asInt(768));
            int w = size.path("width").asInt(size.path("shortest_edge").asInt(768));
            return new Florence2ImageProcessor(
                    h,
                    w,
                    floats(n.path("image_mean"), IMAGENET_MEAN),
                    floats(n.path("image_std"), IMAGENET_STD),
                    n.path("rescale_factor").asDouble(1.0 / 255.0),
                    n.path("resample").asInt(PilResize.BICUBIC));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes a Hugging Face compatible {@code preprocessor_config.json}. */
    public void save(Path folder) {
        ObjectNode n = JSON.createObjectNode();
        n.put("processor_class", "Florence2Processor").put("image_processor_type", "CLIPImageProcessor");
        n.put("do_resize", true)
                .put("do_center_crop", false)
                .put("do_rescale", true)
                .put("do_normalize", true);
        n.putObject("size").put("height", height).put("width", width);
        n.putObject("crop_size").put("height", height).put("width", width);
        n.put("resample", resample).put("rescale_factor", rescaleFactor);
        var m = n.putArray("image_mean");
        var s = n.putArray("image_std");
        for (int c = 0; c < 3; c++) {
            m.add(mean[c]);
            s.add(std[c]);
        }
        try {
            Files.createDirectories(folder);
            JSON.writeValue(folder.resolve("preprocessor_config.json").toFile(), n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes an image file; one whose header declares more than {@link ImageFiles#maxPixels()} is refused. */
    public static BufferedImage read(Path file) {
        return ImageFiles.read(file);
    }

    /** The RGB bytes of an image, [H, W, 3] row-major (alpha dropped, grey replicated, as PIL's convert("RGB")). */
    public static int[] rgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] out = new int[w * h * 3];
        Raster raster = image.getRaster();
        boolean grey = image.getType() == BufferedImage.TYPE_BYTE_GRAY;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                if (grey) {
                    int v = raster.getSample(x, y, 0); // raw value; getRGB would apply a gamma conversion
                    out[i] = v;
                    out[i + 1] = v;
                    out[i + 2] = v;
                } else {
                    int argb = image.getRGB(x, y);
                    out[i] = (argb >> 16) & 0xff;
                    out[i + 1] = (argb >> 8) & 0xff;
                    out[i + 2] = argb & 0xff;
                }
            }
        }
        return out;
    }

    /** One image -> normalised pixels [3, height, width], row-major. */
    public float[] preprocess(BufferedImage image) {
        int[] resized = PilResize.resize(rgb(image), image.getWidth(), image.getHeight(), width, height, resample);
        float[] out = new float[3 * height * width];
        int plane = height * width;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                float scaled = (float) (resized[p * 3 + c] * rescaleFactor); // numpy: float64 product, then float32
                out[c * plane + p] = (scaled - mean[c]) / std[c];
            }
        }
        return out;
    }

    /** Images -> pixel_values [B, 3, height, width]. */
    public NDArray pixelValues(NDManager manager, List<BufferedImage> images) {
        int size = 3 * height * width;
        float[] all = new float[images.size() * size];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(preprocess(images.get(i)), 0, all, i * size, size);
        }
        return Tensors.floats(manager, all, new Shape(images.size(), 3, height, width));
    }

    private static float[] floats(JsonNode node, float[] fallback) {
        if (!node.isArray() || node.size() != 3) {
            return fallback;
        }
        return new float[] {
            (float) node.get(0).asDouble(),
            (float) node.get(1).asDouble(),
            (float) node.get(2).asDouble()
        };
    }
}
