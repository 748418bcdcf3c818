package ai.vtc.vqa.synth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The 5 x 7 dot font of the synthetic documents ({@code font5x7.txt} beside this class): drawn from fixed dots
 * rather than from a system font, so the documents are the same bytes on every machine and need no fonts installed
 * (server images often have none). Covers letters, digits, space and the punctuation the documents print.
 */
final class BitmapFont {
    static final int WIDTH = 5;
    static final int HEIGHT = 7;

    /** Per character, its rows top to bottom, bit 4 the leftmost dot. */
    private static final Map<Character, int[]> GLYPHS = load();

    private BitmapFont() {}

    /** Whether every character of {@code text} can be drawn. */
    static boolean canDraw(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && !GLYPHS.containsKey(c)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the dot at {@code row} (0..6), {@code column} (0..4) of {@code c} is inked; a space has none. */
    static boolean inked(char c, int row, int column) {
        int[] rows = GLYPHS.get(c);
        if (rows == null) {
            if (c == ' ') {
                return false;
            }
            throw new IllegalArgumentException("the document font has no '" + c + "'");
        }
        return (rows[row] >> (WIDTH - 1 - column) & 1) != 0;
    }

    private static Map<Character, int[]> load() {
        Map<Character, int[]> glyphs = new HashMap<>();
        try (InputStream in = BitmapFont.class.getResourceAsStream("font5x7.txt")) {
            if (in == null) {
                throw new IllegalStateException("font5x7.txt is missing from the vqa jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            Character current = null;
            int[] rows = null;
            int row = 0;
            while ((line = r.readLine()) != null) {
                if (line.length() == 1) {
                    current = line.charAt(0);
                    rows = new int[HEIGHT];
                    row = 0;
                } else if (line.length() == WIDTH && current != null) {
                    int bits = 0;
                    for (int c = 0; c < WIDTH; c++) {
                        bits = bits << 1 | (line.charAt(c) == '#' ? 1 : 0);
                    }
                    rows[row++] = bits;
                    if (row == HEIGHT) {
                        glyphs.put(current, rows);
                        current = null;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read font5x7.txt", e);
        }
        return Map.copyOf(glyphs);
    }
}
