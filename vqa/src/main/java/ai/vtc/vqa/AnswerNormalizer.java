package ai.vtc.vqa;

import java.util.Locale;
import java.util.Map;

/**
 * The answer normalisation of the official VQA evaluation ({@code vqaEval.py}, GT-Vision-Lab/VQA, 2021), reproduced
 * rule for rule, quirks included. {@link VqaEvaluator} applies {@link #clean} to every answer and, unless the ground
 * truth answers are then all identical, {@link #normalize}.
 *
 * <p>Character classes follow Python: whitespace is {@code str.isspace()} (so U+00A0 and {@code \r} split words),
 * digits in the punctuation and period rules are ASCII {@code 0-9} (Python 2.7 {@code re} without {@code UNICODE}).
 */
public final class AnswerNormalizer {
    private static final String PUNCTUATION = ";/[]\"{}()=+\\_-><@`,?!";
    private static final boolean[] IS_PUNCTUATION = new boolean[128];
    /** At most this many periods are removed: the official code passes {@code re.UNICODE} (32) as the count. */
    private static final int MAX_PERIODS_REMOVED = 32;

    private static final Map<String, String> NUMBERS = Map.ofEntries(
            Map.entry("none", "0"),
            Map.entry("zero", "0"),
            Map.entry("one", "1"),
            Map.entry("two", "2"),
            Map.entry("three", "3"),
            Map.entry("four", "4"),
            Map.entry("five", "5"),
            Map.entry("six", "6"),
            Map.entry("seven", "7"),
            Map.entry("eight", "8"),
            Map.entry("nine", "9"),
            Map.entry("ten", "10"));

    /**
     * The official contraction table, looked up after lower-casing. Its keys {@code Im}, {@code Ive}, {@code Id've}
     * and {@code I'dve} can never match and are left out; {@code somebody'd -> somebodyd} is reversed in the original
     * and kept so.
     */
    private static final Map<String, String> CONTRACTIONS = contractions(
            "aint",
            "ain't",
            "arent",
            "aren't",
            "cant",
            "can't",
            "couldve",
            "could've",
            "couldnt",
            "couldn't",
            "couldn'tve",
            "couldn't've",
            "couldnt've",
            "couldn't've",
            "didnt",
            "didn't",
            "doesnt",
            "doesn't",
            "dont",
            "don't",
            "hadnt",
            "hadn't",
            "hadnt've",
            "hadn't've",
            "hadn'tve",
            "hadn't've",
            "hasnt",
            "hasn't",
            "havent",
            "haven't",
            "hed",
            "he'd",
            "hed've",
            "he'd've",
            "he'dve",
            "he'd've",
            "hes",
            "he's",
            "howd",
            "how'd",
            "howll",
            "how'll",
            "hows",
            "how's",
            "isnt",
            "isn't",
            "itd",
            "it'd",
            "itd've",
            "it'd've",
            "it'dve",
            "it'd've",
            "itll",
            "it'll",
            "let's",
            "let's",
            "maam",
            "ma'am",
            "mightnt",
            "mightn't",
            "mightnt've",
            "mightn't've",
            "mightn'tve",
            "mightn't've",
            "mightve",
            "might've",
            "mustnt",
            "mustn't",
            "mustve",
            "must've",
            "neednt",
            "needn't",
            "notve",
            "not've",
            "oclock",
            "o'clock",
            "oughtnt",
            "oughtn't",
            "ow's'at",
            "'ow's'at",
            "'ows'at",
            "'ow's'at",
            "'ow'sat",
            "'ow's'at",
            "shant",
            "shan't",
            "shed've",
            "she'd've",
            "she'dve",
            "she'd've",
            "she's",
            "she's",
            "shouldve",
            "should've",
            "shouldnt",
            "shouldn't",
            "shouldnt've",
            "shouldn't've",
            "shouldn'tve",
            "shouldn't've",
            "somebody'd",
            "somebodyd",
            "somebodyd've",
            "somebody'd've",
            "somebody'dve",
            "somebody'd've",
            "somebodyll",
            "somebody'll",
            "somebodys",
            "somebody's",
            "someoned",
            "someone'd",
            "someoned've",
            "someone'd've",
            "someone'dve",
            "someone'd've",
            "someonell",
            "someone'll",
            "someones",
            "someone's",
            "somethingd",
            "something'd",
            "somethingd've",
            "something'd've",
            "something'dve",
            "something'd've",
            "somethingll",
            "something'll",
            "thats",
            "that's",
            "thered",
            "there'd",
            "thered've",
            "there'd've",
            "there'dve",
            "there'd've",
            "therere",
            "there're",
            "theres",
            "there's",
            "theyd",
            "they'd",
            "theyd've",
            "they'd've",
            "they'dve",
            "they'd've",
            "theyll",
            "they'll",
            "theyre",
            "they're",
            "theyve",
            "they've",
            "twas",
            "'twas",
            "wasnt",
            "wasn't",
            "wed've",
            "we'd've",
            "we'dve",
            "we'd've",
            "weve",
            "we've",
            "werent",
            "weren't",
            "whatll",
            "what'll",
            "whatre",
            "what're",
            "whats",
            "what's",
            "whatve",
            "what've",
            "whens",
            "when's",
            "whered",
            "where'd",
            "wheres",
            "where's",
            "whereve",
            "where've",
            "whod",
            "who'd",
            "whod've",
            "who'd've",
            "who'dve",
            "who'd've",
            "wholl",
            "who'll",
            "whos",
            "who's",
            "whove",
            "who've",
            "whyll",
            "why'll",
            "whyre",
            "why're",
            "whys",
            "why's",
            "wont",
            "won't",
            "wouldve",
            "would've",
            "wouldnt",
            "wouldn't",
            "wouldnt've",
            "wouldn't've",
            "wouldn'tve",
            "wouldn't've",
            "yall",
            "y'all",
            "yall'll",
            "y'all'll",
            "y'allll",
            "y'all'll",
            "yall'd've",
            "y'all'd've",
            "y'alld've",
            "y'all'd've",
            "y'all'dve",
            "y'all'd've",
            "youd",
            "you'd",
            "youd've",
            "you'd've",
            "you'dve",
            "you'd've",
            "youll",
            "you'll",
            "youre",
            "you're",
            "youve",
            "you've");

    static {
        for (char c : PUNCTUATION.toCharArray()) {
            IS_PUNCTUATION[c] = true;
        }
    }

    private AnswerNormalizer() {}

    /** Step 1, applied to every answer: {@code \n} and {@code \t} become spaces, then Python's {@code strip()}. */
    public static String clean(String answer) {
        int start = 0;
        int end = answer.length();
        while (start < end && isPythonWhitespace(answer.charAt(start))) {
            start++;
        }
        while (end > start && isPythonWhitespace(answer.charAt(end - 1))) {
            end--;
        }
        String s = start == 0 && end == answer.length() ? answer : answer.substring(start, end);
        if (s.indexOf('\n') >= 0 || s.indexOf('\t') >= 0) {
            s = s.replace('\n', ' ').replace('\t', ' ');
        }
        return s;
    }

    /** Steps 2 and 3 on a {@link #clean}ed answer: {@link #processPunctuation} then {@link #processDigitArticle}. */
    public static String normalize(String cleaned) {
        return processDigitArticle(processPunctuation(cleaned));
    }

    /**
     * Each punctuation character is deleted when it is followed or preceded by a space somewhere in the input, or
     * when the input contains a digit-comma-digit anywhere; otherwise it becomes a space. Then the first 32 periods
     * not followed by a digit are deleted.
     */
    public static String processPunctuation(String in) {
        int n = in.length();
        boolean anyPunctuation = false;
        boolean anyPeriod = false;
        boolean digitCommaDigit = false;
        boolean[] deleted = null;
        for (int i = 0; i < n; i++) {
            char c = in.charAt(i);
            if (c == '.') {
                anyPeriod = true;
            } else if (c < 128 && IS_PUNCTUATION[c]) {
                anyPunctuation = true;
                if (c == ',' && i > 0 && i + 1 < n && isDigit(in.charAt(i - 1)) && isDigit(in.charAt(i + 1))) {
                    digitCommaDigit = true;
                }
                boolean spaced = (i + 1 < n && in.charAt(i + 1) == ' ') || (i > 0 && in.charAt(i - 1) == ' ');
                if (spaced) {
                    if (deleted == null) {
                        deleted = new boolean[128];
                    }
                    deleted[c] = true;
                }
            }
        }
        if (!anyPunctuation && !anyPeriod) {
            return in;
        }
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = in.charAt(i);
            if (c < 128 && IS_PUNCTUATION[c]) {
                if (!digitCommaDigit && (deleted == null || !deleted[c])) {
                    out.append(' ');
                }
            } else {
                out.append(c);
            }
        }
        if (anyPeriod) {
            int removed = 0;
            for (int i = 0; i < out.length() && removed < MAX_PERIODS_REMOVED; ) {
                if (out.charAt(i) == '.' && (i + 1 == out.length() || !isDigit(out.charAt(i + 1)))) {
                    out.deleteCharAt(i);
                    removed++;
                } else {
                    i++;
                }
            }
        }
        return out.toString();
    }

    /**
     * Lower-cases, splits on whitespace, maps number words {@code none, zero, ..., ten} to digits, drops the
     * articles {@code a, an, the}, maps contractions, joins with single spaces.
     */
    public static String processDigitArticle(String in) {
        String lower = toLowerCase(in);
        StringBuilder out = new StringBuilder(lower.length());
        int n = lower.length();
        int i = 0;
        while (i < n) {
            while (i < n && isPythonWhitespace(lower.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isPythonWhitespace(lower.charAt(i))) {
                i++;
            }
            if (start == i) {
                break;
            }
            String word = lower.substring(start, i);
            word = NUMBERS.getOrDefault(word, word);
            if (word.equals("a") || word.equals("an") || word.equals("the")) {
                continue;
            }
            word = CONTRACTIONS.getOrDefault(word, word);
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(word);
        }
        return out.toString();
    }

    /** Python 3's {@code str.isspace()} for one UTF-16 unit (all whitespace is in the BMP). */
    public static boolean isPythonWhitespace(char c) {
        if (c <= ' ') {
            return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F);
        }
        if (c < 0x85) {
            return false;
        }
        return c == 0x85
                || c == 0xA0
                || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A)
                || c == 0x2028
                || c == 0x2029
                || c == 0x202F
                || c == 0x205F
                || c == 0x3000;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String toLowerCase(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128) {
                return s.toLowerCase(Locale.ROOT);
            }
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    char d = chars[j];
                    if (d >= 128) {
                        return s.toLowerCase(Locale.ROOT);
                    }
                    if (d >= 'A' && d <= 'Z') {
                        chars[j] = (char) (d + ('a' - 'A'));
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    private static Map<String, String> contractions(String... pairs) {
        Map.Entry<String, String>[] entries = newEntries(pairs.length / 2);
        for (int i = 0; i < pairs.length; i += 2) {
            entries[i / 2] = Map.entry(pairs[i], pairs[i + 1]);
        }
        return Map.ofEntries(entries);
    }

    @SuppressWarnings("unchecked")
    private static Map.Entry<String, String>[] newEntries(int n) {
        return new Map.Entry[n];
    }
}
