package ai.vtc.vqa.internal;

import java.util.Arrays;

/** A growable long array. */
public final class LongList {
    private long[] values;
    private int size;

    public LongList(int capacity) {
        values = new long[Math.max(8, capacity)];
    }

    public void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size + (size >> 1));
        }
        values[size++] = v;
    }

    public long get(int i) {
        return values[i];
    }

    public int size() {
        return size;
    }

    public long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
