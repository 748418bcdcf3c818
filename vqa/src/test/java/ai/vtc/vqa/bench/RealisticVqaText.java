package ai.vtc.vqa.bench;

import ai.vtc.vqa.QuestionTypes;
import ai.vtc.vqa.VqaAnnotation;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaAnswer;
import ai.vtc.vqa.VqaHeader;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.VqaResults;
import ai.vtc.vqa.internal.LongIndex;
import ai.vtc.vqa.internal.SplitMix64;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * VQAv2-sized text (questions, annotations, predictions; no images) with VQAv2's statistics, for benchmarks: 5.3
 * questions per image, answer types 38% yes/no, 12% number, 50% other, a long tail of answer phrases over a large
 * vocabulary (so that, as in VQAv2, there are hundreds of thousands of distinct answer strings), annotator variation
 * in case, punctuation, articles, number words, typos and disagreement, and predictions that are right about 60% of
 * the time.
 */
public final class RealisticVqaText {
    private static final String[] SYLLABLES = {
        "ba", "co", "de", "fi", "gu", "ha", "ji", "ko", "la", "me", "ni", "po", "qu", "ra", "si", "tu", "ve", "wa",
        "xo", "yi", "ze", "an", "el", "in", "or", "us", "ar", "en", "it", "on"
    };
    private static final String[] NUMBER_WORDS = {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"
    };

    private final SplitMix64 rng;
    private final String[] words;
    private final String[] phrases;

    private RealisticVqaText(long seed) {
        rng = new SplitMix64(SplitMix64.mix(seed));
        words = new String[20_000];
        for (int i = 0; i < words.length; i++) {
            StringBuilder w = new StringBuilder();
            int syllables = 1 + rng.nextInt(3);
            for (int s = 0; s < syllables; s++) {
                w.append(SYLLABLES[rng.nextInt(SYLLABLES.length)]);
            }
            words[i] = w.toString();
        }
        phrases = new String[60_000];
        for (int i = 0; i < phrases.length; i++) {
            int n = rng.weighted(0.7, 0.22, 0.08) + 1;
            StringBuilder p = new StringBuilder();
            for (int k = 0; k < n; k++) {
                if (k > 0) {
                    p.append(' ');
                }
                p.append(words[zipf(words.length)]);
            }
            phrases[i] = p.toString();
        }
    }

    /** The three files of a set of {@code questions} questions. */
    public record Files(Path questions, Path annotations, Path results) {}

    /** Writes {@code questions.json}, {@code annotations.json} and {@code results.json} into {@code dir}. */
    public static Files write(Path dir, int questions, long seed) throws IOException {
        RealisticVqaText gen = new RealisticVqaText(seed);
        VqaHeader header = VqaHeader.of("val2014", "Realistic synthetic VQAv2-sized text for benchmarks");
        VqaQuestions.Builder qb = VqaQuestions.builder(header);
        VqaAnnotations.Builder ab = VqaAnnotations.builder(header.withTaskTypeRemoved());
        VqaResults.Builder rb = VqaResults.builder();
        LongIndex usedImages = new LongIndex(questions / 5);
        int made = 0;
        while (made < questions) {
            long imageId;
            do {
                imageId = 1 + gen.rng.nextInt(581_929);
            } while (usedImages.putIfAbsent(imageId, 0) >= 0);
            int perImage = Math.min(questions - made, 3 + gen.rng.nextInt(6));
            for (int k = 0; k < perImage; k++) {
                gen.question(imageId, imageId * 1000 + k, qb, ab, rb);
                made++;
            }
        }
        Files files =
                new Files(dir.resolve("questions.json"), dir.resolve("annotations.json"), dir.resolve("results.json"));
        qb.build().write(files.questions());
        ab.build().write(files.annotations());
        // predictions in another order than the annotations, as a model's output usually is
        VqaResults ordered = rb.build();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            order.add(i);
        }
        for (int i = order.size() - 1; i > 0; i--) {
            int j = gen.rng.nextInt(i + 1);
            order.set(i, order.set(j, order.get(i)));
        }
        VqaResults.Builder shuffled = VqaResults.builder();
        order.forEach(i -> shuffled.add(ordered.questionId(i), ordered.answer(i)));
        shuffled.build().write(files.results());
        return files;
    }

    private void question(
            long imageId, long questionId, VqaQuestions.Builder qb, VqaAnnotations.Builder ab, VqaResults.Builder rb) {
        String type = QuestionTypes.MSCOCO.get(zipf(QuestionTypes.MSCOCO.size()));
        String text = capitalise(type) + " " + words[zipf(words.length)] + " " + words[zipf(words.length)] + "?";
        int kind = rng.weighted(0.38, 0.12, 0.50);
        String answerType = kind == 0 ? "yes/no" : kind == 1 ? "number" : "other";
        String truth = kind == 0
                ? (rng.chance(0.55) ? "yes" : "no")
                : kind == 1 ? Integer.toString(zipf(21)) : phrases[zipf(phrases.length)];
        List<VqaAnswer> answers = new ArrayList<>(10);
        boolean unanimous = rng.chance(kind == 0 ? 0.5 : 0.2);
        for (int a = 0; a < 10; a++) {
            String answer = unanimous ? truth : annotate(truth, kind);
            String confidence = switch (rng.weighted(0.85, 0.1, 0.05)) {
                case 0 -> "yes";
                case 1 -> "maybe";
                default -> "no";
            };
            answers.add(new VqaAnswer(answer, confidence, a + 1));
        }
        qb.add(questionId, imageId, text);
        ab.add(new VqaAnnotation(questionId, imageId, QuestionTypes.of(text), answerType, truth, answers));
        String prediction = rng.chance(0.6) ? (rng.chance(0.85) ? truth : vary(truth)) : disagree(truth, kind);
        rb.add(questionId, prediction);
    }

    private String annotate(String truth, int kind) {
        double r = rng.nextDouble();
        if (r < 0.55) {
            return truth;
        }
        if (r < 0.75) {
            return vary(truth);
        }
        if (r < 0.82) {
            return typo(truth);
        }
        return disagree(truth, kind);
    }

    /** A form of the same answer that the official normalisation maps back to it. */
    private String vary(String truth) {
        if (truth.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(truth);
            if (n <= 10 && rng.chance(0.6)) {
                return NUMBER_WORDS[n];
            }
        }
        return switch (rng.nextInt(6)) {
            case 0 -> capitalise(truth);
            case 1 -> truth + ".";
            case 2 -> truth.toUpperCase(Locale.ROOT);
            case 3 -> "the " + truth;
            case 4 -> truth + "!";
            default -> " " + truth + "\n";
        };
    }

    private String typo(String truth) {
        char[] c = truth.toCharArray();
        int i = rng.nextInt(c.length);
        c[i] = (char) ('a' + rng.nextInt(26));
        return new String(c) + (rng.chance(0.3) ? "s" : "");
    }

    private String disagree(String truth, int kind) {
        return switch (kind) {
            case 0 -> truth.equals("yes") ? "no" : "yes";
            case 1 -> Integer.toString(zipf(21));
            default -> phrases[zipf(phrases.length)];
        };
    }

    /** An index in [0, n) with a Zipf-like (1/rank) distribution. */
    private int zipf(int n) {
        double u = rng.nextDouble();
        return Math.min(n - 1, (int) Math.floor(Math.exp(u * Math.log(n + 1.0)) - 1));
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
