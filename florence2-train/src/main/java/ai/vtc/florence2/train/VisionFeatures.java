package ai.vtc.florence2.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.lora.LoraConfig;
import ai.vtc.florence2.nn.Autocast;
import ai.vtc.florence2.nn.Precision;
import ai.vtc.florence2.nn.Tensors;
import ai.vtc.florence2.nn.Trace;
import ai.vtc.florence2.vision.FeatureMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The vision tower's output for the images of a run, read from a {@link VisionFeatureStore} where it is stored and
 * computed (then written) where it is not, so the vision tower runs once per image, model, image size and precision
 * across the trials that share the store. A run uses the stored form in either case (a computed entry goes through
 * {@link VisionFeatureFile}'s encoding too), so its results do not depend on which trial computed an image first.
 * Only for runs whose vision tower does not change ({@link #shareable}). Counts what came from where.
 */
public final class VisionFeatures {

    private final VisionFeatureStore store;
    private final Florence2Model model;
    private final Florence2ImageProcessor processor;
    private final PixelCache pixels;
    private final Precision precision;
    private long fromStore;
    private long computed;

    VisionFeatures(
            VisionFeatureStore store,
            Florence2Model model,
            Florence2ImageProcessor processor,
            PixelCache pixels,
            Precision precision) {
        this.store = store;
        this.model = model;
        this.processor = processor;
        this.pixels = pixels;
        this.precision = precision;
    }

    /**
     * Whether a run may take its vision features from a store: its vision tower's weights must be the model's as
     * loaded. False when it trains them ({@code trainable: all}) or adapts them (LoRA adapters may sit in the vision
     * tower, and a finished LoRA run merges them into it); true for {@code language} and {@code pooling} and for
     * training-free runs ({@code trainable} null). Every compression acts after the vision tower (in the language
     * encoder) or on its input size ({@code downsample}, part of the stored entry's identity), so none excludes it.
     */
    public static boolean shareable(Trainable trainable, LoraConfig lora, Compression compression) {
        boolean afterVisionTower = switch (compression.mode()) {
            case NONE, AVG_POOL, LEARNABLE_POOL, POOL2D, ATTN_PRUNE, DIVPRUNE, DOMINANT_MERGE, RANDOM -> true;
            case DOWNSAMPLE -> true; // a smaller input: the image size is part of every entry's identity
        };
        return afterVisionTower && lora == null && trainable != Trainable.ALL;
    }

    /** The vision tower's output [B, h*w, C] for {@code images}, in {@code manager}. */
    FeatureMap batch(NDManager manager, List<Path> images) {
        int height = processor.height();
        int width = processor.width();
        Map<Path, VisionFeatureFile.Features> byImage = new HashMap<>(); // a batch may ask for an image twice
        List<Path> missing = new ArrayList<>();
        for (Path image : new LinkedHashSet<>(images)) {
            Optional<VisionFeatureFile.Features> stored = store.read(image, height, width, precision);
            if (stored.isPresent()) {
                byImage.put(image, stored.get());
                fromStore++;
            } else {
                missing.add(image);
            }
        }
        if (!missing.isEmpty()) {
            List<VisionFeatureFile.Features> made = compute(missing);
            for (int j = 0; j < missing.size(); j++) {
                store.write(missing.get(j), height, width, precision, made.get(j));
                byImage.put(missing.get(j), made.get(j));
            }
            computed += missing.size();
        }
        List<VisionFeatureFile.Features> found =
                images.stream().map(byImage::get).toList();
        VisionFeatureFile.Features first = found.get(0);
        int size = first.tokens().length;
        float[] all = new float[images.size() * size];
        for (int i = 0; i < found.size(); i++) {
            VisionFeatureFile.Features f = found.get(i);
            if (f.gridHeight() != first.gridHeight() || f.channels() != first.channels()) {
                throw new IllegalStateException("stored vision features of " + images.get(i) + " are "
                        + f.gridHeight() + "x" + f.gridWidth() + "x" + f.channels() + ", those of " + images.get(0)
                        + " " + first.gridHeight() + "x" + first.gridWidth() + "x" + first.channels());
            }
            System.arraycopy(f.tokens(), 0, all, i * size, size);
        }
        NDArray tokens = Tensors.floats(
                manager,
                all,
                new Shape(images.size(), (long) first.gridHeight() * first.gridWidth(), first.channels()));
        return new FeatureMap(tokens.toDevice(model.device(), false), first.gridHeight(), first.gridWidth());
    }

    /**
     * The wall time of the vision tower on {@code images} as one batch, in milliseconds (pixels prepared beforehand, the
     * result complete on the device): what a prefill from stored features leaves out, so that a trial's measured cost
     * stays the cost of its setting ({@link CostMeter#visionTower}).
     */
    public double visionTowerMillis(List<Path> images) {
        try (NDManager scratch = model.manager().newSubManager();
                Autocast ignored = Autocast.enter(precision)) {
            NDArray pixelValues = pixelValues(scratch, images);
            long start = System.nanoTime();
            FeatureMap features = model.visionFeatures(pixelValues, Trace.NONE);
            features.tokens().sum().getFloat(); // waits for the device
            return (System.nanoTime() - start) / 1e6;
        }
    }

    /** {@code images} preprocessed as one batch [B, 3, H, W] on the model's device. */
    private NDArray pixelValues(NDManager manager, List<Path> images) {
        int h = processor.height();
        int w = processor.width();
        List<float[]> values = pixels.pixels(processor, images);
        float[] all = new float[images.size() * 3 * h * w];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(values.get(i), 0, all, i * 3 * h * w, 3 * h * w);
        }
        return Tensors.floats(manager, all, new Shape(images.size(), 3, h, w)).toDevice(model.device(), false);
    }

    /** The vision tower on {@code images}, each result in the stored form (rounded as the store keeps it). */
    private List<VisionFeatureFile.Features> compute(List<Path> images) {
        List<VisionFeatureFile.Features> out = new ArrayList<>(images.size());
        try (NDManager scratch = model.manager().newSubManager();
                Autocast ignored = Autocast.enter(precision)) {
            NDArray pixelValues = pixelValues(scratch, images);
            FeatureMap features = model.visionFeatures(pixelValues, Trace.NONE);
            int tokens = Math.toIntExact(features.height() * features.width());
            int channels = Math.toIntExact(features.channels());
            float[] flat = features.tokens().toFloatArray();
            int per = tokens * channels;
            for (int i = 0; i < images.size(); i++) {
                float[] one = new float[per];
                System.arraycopy(flat, i * per, one, 0, per);
                out.add(rounded(new VisionFeatureFile.Features(
                        one, (int) features.height(), (int) features.width(), channels)));
            }
        }
        return out;
    }

    /** {@code f} as a store keeps it: float32 unchanged, bf16 and fp16 rounded to their type. */
    private VisionFeatureFile.Features rounded(VisionFeatureFile.Features f) {
        if (precision == Precision.FP32) {
            return f;
        }
        float[] t = f.tokens();
        for (int i = 0; i < t.length; i++) {
            t[i] = precision == Precision.BF16
                    ? HalfFloats.fromBfloat16(HalfFloats.toBfloat16(t[i]))
                    : HalfFloats.fromFloat16(HalfFloats.toFloat16(t[i]));
        }
        return f;
    }

    /** Distinct images per batch whose features came from the store so far. */
    public long fromStore() {
        return fromStore;
    }

    /** Distinct images per batch whose features this run computed (and wrote) so far. */
    public long computed() {
        return computed;
    }
}
