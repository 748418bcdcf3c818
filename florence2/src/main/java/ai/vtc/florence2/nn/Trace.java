package ai.vtc.florence2.nn;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Receives named intermediate tensors of a forward pass (the names of the golden fixtures, e.g. {@code
 * vision_stage2_out}). Used by tests and the {@code forward} command; {@link #NONE} costs nothing.
 */
@FunctionalInterface
public interface Trace {

    Trace NONE = (name, value) -> {};

    void record(String name, NDArray value);

    default boolean enabled() {
        return this != NONE;
    }

    /** A trace that keeps every tensor it is given (the caller owns them; they live in the caller's scope). */
    static Collecting collecting() {
        return new Collecting();
    }

    final class Collecting implements Trace {
        private final Map<String, NDArray> tensors = new LinkedHashMap<>();

        @Override
        public void record(String name, NDArray value) {
            tensors.put(name, value);
        }

        public Map<String, NDArray> tensors() {
            return tensors;
        }
    }
}
