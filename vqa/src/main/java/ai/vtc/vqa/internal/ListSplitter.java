package ai.vtc.vqa.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Finds where a large VQA file can be cut so that two threads parse its halves: the first element, at or after a
 * byte offset, of the list under a given key of the root object. Scans the structure of the file's head only, then
 * searches for the bytes an element starts with.
 */
public final class ListSplitter {
    private static final int NOT_YET = -1;
    private static final int LIST_ENDED = -2;

    private final byte[] key;
    private final long target;
    /** File offset of the chunk being scanned. */
    private long base;

    private int depth;
    private boolean inString;
    private boolean escape;
    private boolean capturing;
    private boolean keyMatch;
    private int keyPos;
    private boolean lastStringIsKey;
    private boolean inList;

    private ListSplitter(String listKey, long target) {
        this.key = listKey.getBytes(StandardCharsets.UTF_8);
        this.target = target;
    }

    /** Where element {@code {...}} of the list starts. */
    public record Split(long offset) {}

    /**
     * A candidate split, or null: the first object at or after {@code target} whose first key is the first key of the
     * list's first element ({@code {"question_id": ...}}). Inside a JSON string an unescaped {@code "} cannot occur,
     * so in valid JSON such bytes always start an object; whether it is an element of the list (and not an object
     * nested in one) is for the caller to confirm, by parsing up to it.
     */
    public static Split find(Path file, String listKey, long target) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] pattern = firstElementKey(ch, listKey);
            if (pattern == null) {
                return null;
            }
            return search(ch, pattern, target);
        }
    }

    /** {@code "key"} of the first element of the list, or null. */
    private static byte[] firstElementKey(FileChannel ch, String listKey) throws IOException {
        ListSplitter s = new ListSplitter(listKey, 0);
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        byte[] bytes = buffer.array();
        ch.position(0);
        int n;
        while ((n = ch.read(buffer.clear())) >= 0) {
            int found = s.scan(bytes, n);
            if (found == LIST_ENDED) {
                return null;
            }
            if (found >= 0) {
                long offset = s.base + found;
                ByteBuffer head = ByteBuffer.allocate(256);
                ch.read(head, offset + 1);
                byte[] h = head.array();
                int i = 0;
                while (i < head.position() && isWhitespace(h[i])) {
                    i++;
                }
                if (i >= head.position() || h[i] != '"') {
                    return null;
                }
                for (int j = i + 1; j < head.position(); j++) {
                    if (h[j] == '\\') {
                        return null;
                    }
                    if (h[j] == '"') {
                        return java.util.Arrays.copyOfRange(h, i, j + 1);
                    }
                }
                return null;
            }
            s.base += n;
        }
        return null;
    }

    /** The first {@code {} followed (after whitespace) by {@code pattern} at or after {@code target}. */
    private static Split search(FileChannel ch, byte[] pattern, long target) throws IOException {
        int overlap = pattern.length + 64;
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        byte[] bytes = buffer.array();
        long base = target;
        while (true) {
            buffer.clear();
            int n = ch.read(buffer, base);
            if (n <= 0) {
                return null;
            }
            for (int i = 0; i < n; i++) {
                if (bytes[i] != '{') {
                    continue;
                }
                int j = i + 1;
                while (j < n && isWhitespace(bytes[j])) {
                    j++;
                }
                if (j + pattern.length > n) {
                    if (base + n < ch.size()) {
                        break;
                    }
                    return null;
                }
                if (java.util.Arrays.equals(bytes, j, j + pattern.length, pattern, 0, pattern.length)) {
                    return new Split(base + i);
                }
            }
            if (n <= overlap) {
                return null;
            }
            base += n - overlap;
        }
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /** Scans one chunk: the index of the split in it, {@link #NOT_YET} or {@link #LIST_ENDED}. */
    private int scan(byte[] bytes, int n) {
        int i = 0;
        while (i < n) {
            if (inString) {
                if (!capturing && !escape) {
                    // skip the string's body quickly
                    while (i < n) {
                        byte b = bytes[i];
                        if (b == '"' || b == '\\') {
                            break;
                        }
                        i++;
                    }
                    if (i == n) {
                        break;
                    }
                }
                byte b = bytes[i++];
                if (escape) {
                    escape = false;
                    keyMatch = false;
                } else if (b == '\\') {
                    escape = true;
                } else if (b == '"') {
                    inString = false;
                    if (capturing) {
                        lastStringIsKey = keyMatch && keyPos == key.length;
                        capturing = false;
                    }
                } else if (keyPos < key.length && b == key[keyPos]) {
                    keyPos++;
                } else {
                    keyMatch = false;
                }
                continue;
            }
            byte b = bytes[i];
            switch (b) {
                case '"' -> {
                    inString = true;
                    if (depth == 1) {
                        capturing = true;
                        keyMatch = true;
                        keyPos = 0;
                    }
                }
                case '{' -> {
                    if (inList && depth == 2 && base + i >= target) {
                        return i;
                    }
                    depth++;
                }
                case '[' -> {
                    if (depth == 1 && lastStringIsKey) {
                        inList = true;
                    }
                    depth++;
                }
                case '}', ']' -> {
                    depth--;
                    if (inList && depth == 1) {
                        return LIST_ENDED;
                    }
                }
                default -> {}
            }
            i++;
        }
        return NOT_YET;
    }
}
