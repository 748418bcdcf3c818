package ai.vtc.vqa.synth;

import ai.vtc.vqa.VqaAnswer;
import ai.vtc.vqa.internal.SplitMix64;
import java.util.ArrayList;
import java.util.List;

/**
 * Ten annotators answering one question the way VQAv2 annotators do. Many questions get ten identical answers; on the
 * others most annotators write the true answer, some with surface variation the official normalisation undoes
 * (case, a trailing period or "!", articles, number words, stray spaces), and at most three disagree (a synonym
 * like "grey" for "gray", a neighbouring count, another colour or shape, the opposite yes/no). So the true answer is
 * always the clear majority (at least 7 of 10 after normalisation) and is the {@code multiple_choice_answer}.
 */
final class Annotators {
    static final int ANSWERS = 10;
    private static final String[] NUMBER_WORDS = {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"
    };

    private Annotators() {}

    /** {@code noise} 0 gives ten identical answers; 1 is the default amount of variation. */
    static List<VqaAnswer> answer(Qa qa, SplitMix64 rng, double noise) {
        String[] texts = new String[ANSWERS];
        boolean[] disagrees = new boolean[ANSWERS];
        double unanimous = switch (qa.kind()) {
            case YES_NO -> 0.45;
            case NUMBER -> 0.3;
            default -> 0.25;
        };
        if (noise <= 0 || rng.chance(1 - (1 - unanimous) * Math.min(1, noise))) {
            java.util.Arrays.fill(texts, qa.answer());
        } else {
            int disagreeing = rng.weighted(0.35, 0.35, 0.2, 0.1);
            for (int k = 0; k < ANSWERS; k++) {
                disagrees[k] = k < disagreeing;
                texts[k] = disagrees[k] ? wrong(qa, rng) : variant(qa, rng, noise);
            }
            for (int k = ANSWERS - 1; k > 0; k--) {
                int j = rng.nextInt(k + 1);
                String t = texts[k];
                texts[k] = texts[j];
                texts[j] = t;
                boolean d = disagrees[k];
                disagrees[k] = disagrees[j];
                disagrees[j] = d;
            }
        }
        List<VqaAnswer> answers = new ArrayList<>(ANSWERS);
        for (int k = 0; k < ANSWERS; k++) {
            double[] confidence = disagrees[k] ? new double[] {0.6, 0.3, 0.1} : new double[] {0.88, 0.09, 0.03};
            String c = switch (rng.weighted(confidence)) {
                case 0 -> "yes";
                case 1 -> "maybe";
                default -> "no";
            };
            answers.add(new VqaAnswer(texts[k], c, k + 1));
        }
        return answers;
    }

    /** The true answer as one annotator types it; normalises to {@link Qa#answer()}. */
    private static String variant(Qa qa, SplitMix64 rng, double noise) {
        String a = qa.answer();
        if (!rng.chance(0.45 * Math.min(1, noise))) {
            return a;
        }
        if (qa.kind() == Qa.Kind.NUMBER) {
            int n = (Integer) qa.value();
            return switch (rng.nextInt(5)) {
                case 0, 1 -> n < NUMBER_WORDS.length ? NUMBER_WORDS[n] : a;
                case 2 -> n < NUMBER_WORDS.length ? capitalise(NUMBER_WORDS[n]) : a;
                case 3 -> n == 0 ? "none" : a + ".";
                default -> a + " ";
            };
        }
        if (qa.kind() == Qa.Kind.SHAPE && rng.chance(0.4)) {
            String[] articles = {"a ", "A ", "the ", "The "};
            return articles[rng.nextInt(articles.length)] + a;
        }
        return switch (rng.nextInt(6)) {
            case 0, 1 -> capitalise(a);
            case 2 -> a + ".";
            case 3 -> a.toUpperCase(java.util.Locale.ROOT);
            case 4 -> a + "!";
            default -> " " + a;
        };
    }

    /** A plausible answer that does not normalise to the true one. */
    private static String wrong(Qa qa, SplitMix64 rng) {
        return switch (qa.kind()) {
            case YES_NO -> (Boolean) qa.value() ? (rng.chance(0.8) ? "no" : "No") : (rng.chance(0.8) ? "yes" : "Yes");
            case NUMBER -> {
                int n = (Integer) qa.value();
                int m = n == 0 || rng.chance(0.5) ? n + 1 : n - 1;
                yield rng.chance(0.3) && m < NUMBER_WORDS.length ? NUMBER_WORDS[m] : Integer.toString(m);
            }
            case COLOUR -> {
                Colour c = (Colour) qa.value();
                if (rng.chance(0.5)) {
                    yield rng.pick(c.synonyms);
                }
                List<Colour> pool = Colour.BACKGROUNDS.contains(c) ? Colour.BACKGROUNDS : Colour.SHAPE_COLOURS;
                Colour other;
                do {
                    other = rng.pick(pool);
                } while (other == c);
                yield other.word;
            }
            case SHAPE -> {
                ShapeKind s = (ShapeKind) qa.value();
                if (rng.chance(0.6)) {
                    yield rng.pick(s.synonyms);
                }
                ShapeKind other;
                do {
                    other = ShapeKind.values()[rng.nextInt(ShapeKind.values().length)];
                } while (other == s);
                yield other.word;
            }
        };
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
