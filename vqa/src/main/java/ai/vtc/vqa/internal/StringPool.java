package ai.vtc.vqa.internal;

import java.util.Arrays;

/**
 * Interns strings into dense int ids. Readers intern straight from the parser's character buffer, so a string that
 * occurs 100,000 times ("yes") is stored once and costs no allocation after its first occurrence. The characters
 * live in one array and each table slot holds the hash next to the id, so a lookup touches two cache lines, not
 * five. {@link String}s are made on first {@link #get}. Not thread-safe.
 */
public final class StringPool {
    private char[] chars = new char[4096];
    private int charCount;
    /** String {@code id} is {@code chars[starts[id], starts[id + 1])}. */
    private int[] starts = new int[257];

    private String[] strings = new String[256];
    private int size;
    /** Open addressing: {@code hash << 32 | (id + 1)}, 0 = empty. */
    private long[] slots = new long[512];

    public int size() {
        return size;
    }

    public String get(int id) {
        String s = strings[id];
        if (s == null) {
            s = new String(chars, starts[id], starts[id + 1] - starts[id]);
            strings[id] = s;
        }
        return s;
    }

    public int intern(String s) {
        int h = s.hashCode();
        int mask = slots.length - 1;
        for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == 0) {
                int id = add(s, 0, s.length(), null, h, i);
                strings[id] = s;
                return id;
            }
            if ((int) (slot >>> 32) == h) {
                int id = (int) slot - 1;
                if (equals(id, s)) {
                    return id;
                }
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
            long slot = slots[i];
            if (slot == 0) {
                return add(null, offset, length, buf, h, i);
            }
            if ((int) (slot >>> 32) == h) {
                int id = (int) slot - 1;
                if (equals(id, buf, offset, length)) {
                    return id;
                }
            }
        }
    }

    /** The id of {@code s}, or -1 when it was never interned. */
    public int find(String s) {
        int h = s.hashCode();
        int mask = slots.length - 1;
        for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            if ((int) (slot >>> 32) == h) {
                int id = (int) slot - 1;
                if (equals(id, s)) {
                    return id;
                }
            }
        }
    }

    private int add(String s, int offset, int length, char[] buf, int h, int slotIndex) {
        if (size == strings.length) {
            strings = Arrays.copyOf(strings, size * 2);
            starts = Arrays.copyOf(starts, size * 2 + 1);
        }
        if (charCount + length > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(chars.length * 2, charCount + length));
        }
        if (s != null) {
            s.getChars(0, length, chars, charCount);
        } else {
            System.arraycopy(buf, offset, chars, charCount, length);
        }
        charCount += length;
        int id = size++;
        starts[size] = charCount;
        slots[slotIndex] = ((long) h << 32) | (id + 1);
        if (size * 2 > slots.length) {
            rehash();
        }
        return id;
    }

    private void rehash() {
        long[] bigger = new long[slots.length * 2];
        int mask = bigger.length - 1;
        for (long slot : slots) {
            if (slot != 0) {
                int i = mix((int) (slot >>> 32)) & mask;
                while (bigger[i] != 0) {
                    i = (i + 1) & mask;
                }
                bigger[i] = slot;
            }
        }
        slots = bigger;
    }

    private boolean equals(int id, char[] buf, int offset, int length) {
        int start = starts[id];
        if (starts[id + 1] - start != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (chars[start + k] != buf[offset + k]) {
                return false;
            }
        }
        return true;
    }

    private boolean equals(int id, String s) {
        int start = starts[id];
        int length = s.length();
        if (starts[id + 1] - start != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (chars[start + k] != s.charAt(k)) {
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
