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
 * Preprocessed pixels ([3, H, W] floats) per image file, decoded in parallel and kept on the Java heap up to a byte
 * budget, so a training run decodes each image once instead of once per epoch. Beyond the budget images are decoded
 * on every use. Not thread-safe: one cache per training or prediction run.
 */
final class PixelCache {

    private final Florence2ImageProcessor processor;
    private final long budgetBytes;
    private final Map<Path, float[]> cached = new HashMap<>();
    private long usedBytes;

    PixelCache(Florence2ImageProcessor processor, long budgetBytes) {
        this.processor = processor;
        this.budgetBytes = budgetBytes;
    }

    Florence2ImageProcessor processor() {
        return processor;
    }

    /** The pixels of every image, in order; missing ones are decoded in parallel. */
    List<float[]> pixels(List<Path> images) {
        Set<Path> missing = new LinkedHashSet<>();
        for (Path p : images) {
            if (!cached.containsKey(p)) {
                missing.add(p);
            }
        }
        Map<Path, float[]> decoded = new HashMap<>();
        List<Path> todo = new ArrayList<>(missing);
        List<float[]> values = todo.parallelStream()
                .map(p -> processor.preprocess(Florence2ImageProcessor.read(p)))
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
        for (Path p : images) {
            float[] v = cached.get(p);
            out.add(v != null ? v : decoded.get(p));
        }
        return out;
    }
}
