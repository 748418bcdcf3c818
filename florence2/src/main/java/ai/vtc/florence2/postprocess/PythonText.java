package ai.vtc.florence2.postprocess;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few Python string and {@code re} semantics the processor's post-processing relies on, where Java's differ:
 * Python's whitespace ({@code str.isspace}, {@code \s}, {@code strip()}) includes {@code \x1c}-{@code \x1f} and
 * the no-break spaces, its {@code .} excludes only {@code \n} ({@link #FLAGS}), its {@code \d} is any Unicode decimal
 * digit, and its string positions count code points.
 */
final class PythonText {

    /** Python's {@code str.isspace()} characters, as a regex class (its {@code \s} for str patterns). */
    static final String WHITESPACE =
            "[\\t\\n\\u000B\\f\\r\\u001C-\\u001F \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";

    /** Python's {@code \d} for str patterns. */
    static final String DIGIT = "\\p{Nd}";

    /** {@code .} and {@code $} know only {@code \n} as a line end, as in Python without flags. */
    static final int FLAGS = Pattern.UNIX_LINES;

    private static final Pattern WHITESPACE_ONLY = Pattern.compile(WHITESPACE);

    private PythonText() {}

    static Pattern compile(String regex) {
        return Pattern.compile(regex, FLAGS);
    }

    /** {@code s.strip()}. */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return WHITESPACE_ONLY.matcher(String.valueOf(c)).matches();
    }

    /** {@code s.encode('ascii', errors='ignore').decode('ascii')}: every non-ASCII character dropped. */
    static String asciiOnly(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.chars().filter(c -> c < 0x80).forEach(c -> out.append((char) c));
        return out.toString();
    }

    /** {@code len(s)}: code points. */
    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** A match's {@code span()} in code points of the string it matched in. */
    static int[] span(Matcher m, String in) {
        return new int[] {in.codePointCount(0, m.start()), in.codePointCount(0, m.end())};
    }

    /** {@code s.replace('<s>', '').replace('</s>', '').replace('<pad>', '')}. */
    static String withoutStartEndPad(String s) {
        return s.replace("<s>", "").replace("</s>", "").replace("<pad>", "");
    }
}
