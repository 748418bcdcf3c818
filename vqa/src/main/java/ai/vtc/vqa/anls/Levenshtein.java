package ai.vtc.vqa.anls;

/**
 * The edit distance with unit costs for insertion, deletion and substitution, over Unicode code points (as Python
 * indexes a {@code str}, and as both the official DocVQA script's {@code levenshtein_distance} and the
 * {@code Levenshtein} package count), not over UTF-16 units.
 */
public final class Levenshtein {
    private Levenshtein() {}

    public static int distance(String a, String b) {
        int[] s = a.codePoints().toArray();
        int[] t = b.codePoints().toArray();
        if (s.length > t.length) {
            int[] swap = s;
            s = t;
            t = swap;
        }
        // one row of the table over the shorter string, as the official script keeps it
        int[] previous = new int[s.length + 1];
        int[] current = new int[s.length + 1];
        for (int i = 0; i <= s.length; i++) {
            previous[i] = i;
        }
        for (int j = 0; j < t.length; j++) {
            current[0] = j + 1;
            for (int i = 0; i < s.length; i++) {
                current[i + 1] =
                        s[i] == t[j] ? previous[i] : 1 + Math.min(previous[i], Math.min(previous[i + 1], current[i]));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[s.length];
    }
}
