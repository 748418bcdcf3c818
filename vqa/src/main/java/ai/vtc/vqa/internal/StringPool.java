package ai.vtc.vqa.internal;

import java.util.Arrays;

/**
 * Interns strings into dense int ids. Readers intern straight from the parser's character buffer, so a string that
 * occurs 100,000 times ("yes") is one {@link String} and costs no allocation after its first occurrence. Not
 * thread-safe.
 */
public final class StringPool {
    private String[] values = new String[256];
    private int[] hashes = new int[256];
    private int size;
    /** Open addressing, id + 1 per slot, 0 = empty. */
    private int[] slots = new int[512];

    public int size() {
        return size;
    }

    public String get(int id) {
        return values[id];
    }

    public int intern(String s) {
        int h = s.hashCode();
        int mask = slots.length - 1;
        for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                return add(s, h, i);
            }
            if (hashes[slot - 1] == h && values[slot - 1].equals(s)) {
                return slot - 1;
            }
        }
    }

    public int intern(char[] buf, int offset, int length) {
        int h = 0;
        for (int k = 0; k < length; k++) {
            h = 31 * h + buf[offset + k];
        }
        int mask = slots.length - 1;
        for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                return add(new String(buf, offset, length), h, i);
            }
            if (hashes[slot - 1] == h && equals(values[slot - 1], buf, offset, length)) {
                return slot - 1;
            }
        }
    }

    /** The id of {@code s}, or -1 when it was never interned. */
    public int find(String s) {
        int h = s.hashCode();
        int mask = slots.length - 1;
        for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            if (hashes[slot - 1] == h && values[slot - 1].equals(s)) {
                return slot - 1;
            }
        }
    }

    private int add(String s, int h, int slotIndex) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        values[size] = s;
        hashes[size] = h;
        slots[slotIndex] = ++size;
        if (size * 2 > slots.length) {
            rehash();
        }
        return size - 1;
    }

    private void rehash() {
        int[] bigger = new int[slots.length * 2];
        int mask = bigger.length - 1;
        for (int id = 0; id < size; id++) {
            int i = mix(hashes[id]) & mask;
            while (bigger[i] != 0) {
                i = (i + 1) & mask;
            }
            bigger[i] = id + 1;
        }
        slots = bigger;
    }

    private static boolean equals(String s, char[] buf, int offset, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (s.charAt(k) != buf[offset + k]) {
                return false;
            }
        }
        return true;
    }

    private static int mix(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
