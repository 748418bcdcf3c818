package ai.vtc.vqa.internal;

/** Map from long keys (question or image ids) to non-negative int positions, without boxing. Not thread-safe. */
public final class LongIndex {
    private long[] keys;
    private int[] values;
    private int size;

    public LongIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new int[capacity];
    }

    public int size() {
        return size;
    }

    /** The value of {@code key}, or -1. */
    public int get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            int v = values[i];
            if (v == 0) {
                return -1;
            }
            if (keys[i] == key) {
                return v - 1;
            }
        }
    }

    /** Stores {@code value} unless the key is present; returns the previous value or -1 when it was absent. */
    public int putIfAbsent(long key, int value) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            int v = values[i];
            if (v == 0) {
                keys[i] = key;
                values[i] = value + 1;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return -1;
            }
            if (keys[i] == key) {
                return v - 1;
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldValues[j] != 0) {
                int i = slot(oldKeys[j], mask);
                while (values[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private static int slot(long key, int mask) {
        return (int) (SplitMix64.mix(key) & mask);
    }
}
