package ai.vtc.florence2.train;

import ai.vtc.florence2.Florence2ImageProcessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Preprocessed pixels ([3, H, W] floats) per image file and size, decoded in parallel and kept on the Java heap up to a
 * byte budget, so a training run decodes each image once instead of once per epoch. The key includes the size, so the
 * same file at the model's size and at a downsample size are two entries. Beyond the budget images are decoded on every
 * use. Not thread-safe: one cache per training or prediction run.
 */
final class PixelCache {

    /** One image file preprocessed to one size. */
    private record Key(Path image, int height, int width) {}

    private final long budgetBytes;
    private final Map<Key, float[]> cached = new HashMap<>();
    private long usedBytes;

    PixelCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The pixels of every image as {@code processor} makes them, in order; missing ones are decoded in parallel. */
    List<float[]> pixels(Florence2ImageProcessor processor, List<Path> images) {
        Set<Key> missing = new LinkedHashSet<>();
        List<Key> keys = new ArrayList<>(images.size());
        for (Path p : images) {
            Key key = new Key(p, processor.height(), processor.width());
            keys.add(key);
            if (!cached.containsKey(key)) {
                missing.add(key);
            }
        }
        Map<Key, float[]> decoded = new HashMap<>();
        List<Key> todo = new ArrayList<>(missing);
        List<float[]> values = todo.parallelStream()
                .map(k -> processor.preprocess(Florence2ImageProcessor.read(k.image())))
                .toList();
        for (int i = 0; i < todo.size(); i++) {
            decoded.put(todo.get(i), values.get(i));
            long bytes = values.get(i).length * 4L;
            if (usedBytes + bytes <= budgetBytes) {
                cached.put(todo.get(i), values.get(i));
                usedBytes += bytes;
            }
        }
        List<float[]> out = new ArrayList<>(images.size());
        for (Key k : keys) {
            float[] v = cached.get(k);
            out.add(v != null ? v : decoded.get(k));
        }
        return out;
    }
}
