package ai.vtc.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.TreeMap;

/** Conventions for state arrays in checkpoints: counters are INT64 arrays of one element, moments exact copies. */
final class StateArrays {

    private StateArrays() {}

    static NDArray counter(NDManager manager, long value) {
        return manager.create(new long[] {value});
    }

    static long readCounter(String key, NDArray array) {
        if (array.getDataType() != DataType.INT64 || array.size() != 1) {
            throw new IllegalArgumentException(
                    key + " must be an INT64 array with one element, got " + array.getDataType() + array.getShape());
        }
        return array.toLongArray()[0];
    }

    /** A bit-exact copy owned by {@code manager}. */
    static NDArray copy(NDManager manager, NDArray source) {
        NDArray copy = source.duplicate();
        copy.attach(manager);
        return copy;
    }

    /**
     * The entries whose key starts with {@code prefix}, keyed by the rest of the name, sorted. Used to group
     * {@code adamw.exp_avg.<param>} style keys by their kind.
     */
    static Map<String, NDArray> withPrefix(Map<String, NDArray> state, String prefix) {
        Map<String, NDArray> out = new TreeMap<>();
        state.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                out.put(key.substring(prefix.length()), value);
            }
        });
        return out;
    }
}
