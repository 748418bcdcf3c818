package ai.vtc.vqa.anls;

import java.util.Locale;

/**
 * The few Python 3 string operations the DocVQA metrics are defined with, reproduced on Java strings: lengths in code
 * points ({@code len}), full Unicode case mappings ({@code lower}, {@code upper}) and Python's notion of whitespace
 * ({@code str.isspace}, used by {@code strip()} and {@code split()}), which differs from
 * {@link Character#isWhitespace} (U+00A0, U+2007, U+202F are whitespace in Python and not in Java; U+001C..U+001F
 * are in both).
 */
public final class PythonText {
    private PythonText() {}

    /** {@code len(s)}: code points, so an emoji outside the BMP counts once. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /**
     * {@code s.lower()}: the full mapping of Unicode's SpecialCasing (U+0130 becomes {@code i} + U+0307, a final sigma
     * becomes U+03C2), which Java applies in the root locale as Python does.
     */
    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** {@code s.upper()}: the full mapping ({@code ß} becomes {@code SS}, the ligature {@code ﬁ} becomes {@code FI}). */
    public static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    /**
     * {@code str.isspace()} of one code point (CPython's {@code Py_UNICODE_ISSPACE}: bidirectional class WS, B or S,
     * or category Zs): tab, line feed, U+000B, U+000C, carriage return, U+001C..U+001F, space, U+0085, U+00A0,
     * U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000. U+200B (zero width space) is not.
     */
    public static boolean isSpace(int cp) {
        if (cp < 128) {
            return cp == ' ' || (cp >= '\t' && cp <= '\r') || (cp >= 0x1C && cp <= 0x1F);
        }
        return cp == 0x85
                || cp == 0xA0
                || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028
                || cp == 0x2029
                || cp == 0x202F
                || cp == 0x205F
                || cp == 0x3000;
    }

    /**
     * {@code " ".join(s.split())}: the words of {@code s} (runs of non-whitespace) joined by single spaces, so
     * leading and trailing whitespace goes and every inner run of it becomes one space.
     */
    public static String collapseWhitespace(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean pendingSpace = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (isSpace(cp)) {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }
}
