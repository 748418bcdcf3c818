package ai.vtc.vqa.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.vqa.AnswerNormalizer;
import ai.vtc.vqa.MajorityBaseline;
import ai.vtc.vqa.QuestionTypes;
import ai.vtc.vqa.VqaAccuracy;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaEvaluator;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.VqaResults;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticVqaTest {
    @TempDir
    Path dir;

    static SyntheticVqa.Options small(long seed) {
        return SyntheticVqa.Options.defaults().withSeed(seed).withImages(40, 10).withImageSize(64);
    }

    @Test
    void theSameSeedGivesIdenticalBytesAndAnotherSeedOtherData() throws IOException {
        SyntheticVqa.generate(dir.resolve("a"), small(3));
        SyntheticVqa.generate(dir.resolve("b"), small(3));
        SyntheticVqa.generate(dir.resolve("c"), small(4));
        TreeMap<String, byte[]> a = files(dir.resolve("a"));
        TreeMap<String, byte[]> b = files(dir.resolve("b"));
        assertEquals(a.keySet(), b.keySet());
        assertEquals(4 + 50, a.size(), "2 x (questions + annotations) + 50 images");
        a.forEach((name, bytes) -> assertArrayEquals(bytes, b.get(name), name));
        TreeMap<String, byte[]> c = files(dir.resolve("c"));
        assertFalse(java.util.Arrays.equals(
                a.get("v2_mscoco_val2014_annotations.json"), c.get("v2_mscoco_val2014_annotations.json")));
    }

    @Test
    void theLayoutIsVqaV2AndAPerfectResultsFileScores100() throws IOException {
        SyntheticVqa.Generated g = SyntheticVqa.generate(dir, small(1));
        for (String name : List.of("train", "val")) {
            SyntheticVqa.Split split = g.split(name);
            assertEquals(dir.resolve("v2_OpenEnded_mscoco_" + name + "2014_questions.json"), split.questionsFile());
            assertEquals(dir.resolve("v2_mscoco_" + name + "2014_annotations.json"), split.annotationsFile());
            VqaQuestions q = VqaQuestions.read(split.questionsFile());
            VqaAnnotations a = VqaAnnotations.read(split.annotationsFile());
            a.checkMatches(q);
            assertEquals(name + "2014", q.header().dataSubtype());
            assertEquals("Open-Ended", q.header().taskType());
            assertEquals(split.questions(), q.size());
            assertEquals(split.images() * 5, q.size());

            Set<String> answerTypes = new HashSet<>();
            for (int i = 0; i < a.size(); i++) {
                long imageId = a.imageId(i);
                assertTrue(a.questionId(i) / 1000 == imageId && a.questionId(i) % 1000 < 5);
                Path image = split.imagesDir().resolve(String.format("COCO_%s2014_%012d.png", name, imageId));
                assertTrue(Files.exists(image), image.toString());
                assertTrue(QuestionTypes.MSCOCO.contains(a.questionType(i)), a.questionType(i));
                assertEquals(QuestionTypes.of(q.question(q.indexOf(a.questionId(i)))), a.questionType(i));
                answerTypes.add(a.answerType(i));
                assertEquals(10, a.answerCount(i));
                String majority = a.multipleChoiceAnswer(i);
                int agreeing = 0;
                for (int j = 0; j < 10; j++) {
                    if (AnswerNormalizer.normalize(AnswerNormalizer.clean(a.answer(i, j)))
                            .equals(majority)) {
                        agreeing++;
                    }
                }
                assertTrue(agreeing >= 7, "clear majority for " + a.get(i));
            }
            assertEquals(Set.of("yes/no", "number", "other"), answerTypes);

            VqaResults perfect =
                    MajorityBaseline.fit(a, MajorityBaseline.Scope.OVERALL).predict(a);
            VqaResults.Builder exact = VqaResults.builder();
            for (int i = 0; i < a.size(); i++) {
                exact.add(a.questionId(i), a.multipleChoiceAnswer(i));
            }
            assertEquals(100.0, VqaEvaluator.evaluate(q, a, exact.build()).overall());
            assertTrue(VqaEvaluator.evaluate(a, perfect).overall() < 60);
            VqaAccuracy noisy = VqaEvaluator.evaluate(a, SyntheticVqa.predictions(a, 1, 0.6));
            assertTrue(noisy.overall() > 40 && noisy.overall() < 90, noisy.toString());
        }
        BufferedImage img = ImageIO.read(g.split("val").imagesDir().toFile().listFiles()[0]);
        assertNotNull(img);
        assertEquals(64, img.getWidth());
        assertEquals(64, img.getHeight());
    }

    @Test
    void annotatorsVaryCaseArticlesNumberWordsAndSometimesDisagree() throws IOException {
        SyntheticVqa.generate(dir, small(2).withRenderImages(false).withImages(200, 0));
        VqaAnnotations a = VqaAnnotations.read(dir.resolve("v2_mscoco_train2014_annotations.json"));
        Set<String> raw = new HashSet<>();
        int unanimous = 0;
        int disagreeing = 0;
        for (int i = 0; i < a.size(); i++) {
            Set<String> distinct = new HashSet<>();
            boolean disagreement = false;
            for (int j = 0; j < 10; j++) {
                raw.add(a.answer(i, j));
                distinct.add(a.answer(i, j));
                String n = AnswerNormalizer.normalize(AnswerNormalizer.clean(a.answer(i, j)));
                disagreement |= !n.equals(a.multipleChoiceAnswer(i));
            }
            unanimous += distinct.size() == 1 ? 1 : 0;
            disagreeing += disagreement ? 1 : 0;
        }
        assertTrue(raw.containsAll(List.of("Yes", "yes.", "three", "grey")), raw.toString());
        assertTrue(raw.stream().anyMatch(s -> s.startsWith("a ") || s.startsWith("the ")), raw.toString());
        assertTrue(unanimous > a.size() / 10 && unanimous < a.size() / 2, "unanimous " + unanimous);
        assertTrue(disagreeing > a.size() / 5, "disagreeing " + disagreeing);
        assertFalse(Files.exists(dir.resolve("train2014")), "no images when rendering is off");
    }

    @Test
    void theTextDoesNotDependOnRenderingAndFamiliesCanBeRestricted() throws IOException {
        SyntheticVqa.generate(dir.resolve("img"), small(5));
        SyntheticVqa.generate(dir.resolve("txt"), small(5).withRenderImages(false));
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("img/v2_mscoco_train2014_annotations.json")),
                Files.readAllBytes(dir.resolve("txt/v2_mscoco_train2014_annotations.json")));

        SyntheticVqa.generate(
                dir.resolve("count"),
                small(5).withRenderImages(false)
                        .withFamilies(EnumSet.of(QuestionFamily.COUNT))
                        .withAnnotatorNoise(0));
        VqaAnnotations counts = VqaAnnotations.read(dir.resolve("count/v2_mscoco_val2014_annotations.json"));
        for (int i = 0; i < counts.size(); i++) {
            assertEquals("how many", counts.questionType(i));
            assertEquals("number", counts.answerType(i));
            int n = Integer.parseInt(counts.multipleChoiceAnswer(i));
            assertTrue(n >= 0 && n <= 5);
            for (int j = 0; j < 10; j++) {
                assertEquals(counts.multipleChoiceAnswer(i), counts.answer(i, j), "noise 0: ten identical answers");
            }
        }
    }

    @Test
    void regionQuestionsNameTheColourThatFillsThatHalfOfTheImage() throws IOException {
        SyntheticVqa.Generated g = SyntheticVqa.generate(
                dir, small(7).withFamilies(EnumSet.of(QuestionFamily.REGION)).withAnnotatorNoise(0));
        SyntheticVqa.Split val = g.split("val");
        VqaQuestions q = VqaQuestions.read(val.questionsFile());
        VqaAnnotations a = VqaAnnotations.read(val.annotationsFile());
        Pattern region = Pattern.compile(".* the (left|right|top|bottom) (side|half) of the background\\?");
        Set<String> sides = new HashSet<>();
        int whole = 0;
        for (int i = 0; i < a.size(); i++) {
            String question = q.question(q.indexOf(a.questionId(i)));
            Path file = val.imagesDir().resolve(String.format("COCO_val2014_%012d.png", a.imageId(i)));
            BufferedImage image = ImageIO.read(file.toFile());
            Matcher m = region.matcher(question);
            if (m.matches()) {
                sides.add(m.group(1));
                String side = m.group(1);
                String other = switch (side) {
                    case "left" -> "right";
                    case "right" -> "left";
                    case "top" -> "bottom";
                    default -> "top";
                };
                assertEquals(dominantBackground(image, side), a.multipleChoiceAnswer(i), question + " " + file);
                assertNotEquals(
                        dominantBackground(image, other), a.multipleChoiceAnswer(i), "the halves differ: " + file);
            } else {
                assertTrue(question.contains("background"), question);
                assertEquals(dominantBackground(image, "left"), a.multipleChoiceAnswer(i), question + " " + file);
                assertEquals(dominantBackground(image, "right"), a.multipleChoiceAnswer(i), question + " " + file);
                whole++;
            }
        }
        assertEquals(Set.of("left", "right", "top", "bottom"), sides);
        assertTrue(whole > 0 && whole < a.size(), "about half of the backgrounds are split: " + whole);
    }

    @Test
    void withEveryBackgroundSplitEveryRegionQuestionNamesASide() throws IOException {
        SyntheticVqa.Options options = small(7).withFamilies(EnumSet.of(QuestionFamily.REGION));
        Pattern region = Pattern.compile(".* the (left|right|top|bottom) (side|half) of the background\\?");
        SyntheticVqa.Generated all = SyntheticVqa.generate(dir.resolve("all"), options.withRegionSplits(1.0));
        VqaQuestions q = VqaQuestions.read(all.split("train").questionsFile());
        for (int i = 0; i < q.size(); i++) {
            assertTrue(region.matcher(q.question(i)).matches(), q.question(i));
        }
        SyntheticVqa.Generated none = SyntheticVqa.generate(dir.resolve("none"), options.withRegionSplits(0));
        VqaQuestions plain = VqaQuestions.read(none.split("train").questionsFile());
        for (int i = 0; i < plain.size(); i++) {
            assertFalse(region.matcher(plain.question(i)).matches(), plain.question(i));
        }
        // the default share keeps the bytes of sets made before the setting existed
        assertEquals(options.describe(), options.withRegionSplits(0.5).describe());
        assertTrue(options.withRegionSplits(1.0).describe().endsWith("split backgrounds 1.0"));
    }

    /** The background colour (white, gray or black) closest to most pixels of one half of the image. */
    private static String dominantBackground(BufferedImage image, String half) {
        int w = image.getWidth();
        int h = image.getHeight();
        int x0 = half.equals("right") ? w / 2 : 0;
        int x1 = half.equals("left") ? w / 2 : w;
        int y0 = half.equals("bottom") ? h / 2 : 0;
        int y1 = half.equals("top") ? h / 2 : h;
        TreeMap<String, Integer> votes = new TreeMap<>();
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int rgb = image.getRGB(x, y);
                Colour nearest = null;
                long best = Long.MAX_VALUE;
                for (Colour c : Colour.values()) {
                    long d = 0;
                    for (int shift = 0; shift <= 16; shift += 8) {
                        long diff = ((rgb >> shift) & 0xFF) - ((c.rgb >> shift) & 0xFF);
                        d += diff * diff;
                    }
                    if (d < best) {
                        best = d;
                        nearest = c;
                    }
                }
                if (Colour.BACKGROUNDS.contains(nearest)) {
                    votes.merge(nearest.word, 1, Integer::sum);
                }
            }
        }
        return votes.entrySet().stream()
                .max(java.util.Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
    }

    @Test
    void theMajorityBaselineIsComputable() throws IOException {
        SyntheticVqa.Generated g =
                SyntheticVqa.generate(dir, small(6).withRenderImages(false).withImages(400, 100));
        VqaAnnotations train = VqaAnnotations.read(g.split("train").annotationsFile());
        VqaAnnotations val = VqaAnnotations.read(g.split("val").annotationsFile());
        VqaAccuracy overall = MajorityBaseline.evaluate(train, val, MajorityBaseline.Scope.OVERALL);
        VqaAccuracy perType = MajorityBaseline.evaluate(train, val, MajorityBaseline.Scope.PER_QUESTION_TYPE);
        assertTrue(overall.overall() > 5 && overall.overall() < 40, overall.toString());
        assertTrue(perType.overall() > overall.overall() && perType.overall() < 60, perType.toString());
        MajorityBaseline baseline = MajorityBaseline.fit(train, MajorityBaseline.Scope.PER_QUESTION_TYPE);
        assertTrue(Set.of("yes", "no").contains(baseline.answer("is there a")));
        assertTrue(baseline.answer("how many").matches("[0-9]"), baseline.answer("how many"));
        System.out.println("majority baseline on synthetic val: overall answer " + overall.overall()
                + ", per question type " + perType.overall());
    }

    @Test
    void sizesScaleToAGivenNumberOfQuestions() {
        SyntheticVqa.Options o = SyntheticVqa.Options.defaults().withQuestions(100_000);
        assertEquals(100_000, (o.trainImages() + o.valImages()) * o.questionsPerImage());
        assertEquals(4000, o.valImages());
    }

    @Test
    void sizesNearTheLimitsOfAnIntAreCountedWithoutOverflow() {
        SyntheticVqa.Options most = SyntheticVqa.Options.defaults().withQuestions(Integer.MAX_VALUE);
        assertEquals(Integer.MAX_VALUE / 5 + 1, most.trainImages() + most.valImages());
        assertTrue(most.questions() >= Integer.MAX_VALUE, "about 2^31 questions: " + most.questions());

        SyntheticVqa.Options wide = SyntheticVqa.Options.defaults().withImages(1_000_000_000, 1_000_000_000);
        assertEquals(2_000_000_000L * 5, wide.questions()); // an int product would be negative
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SyntheticVqa.Options.defaults().withImages(Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("images in all"), e::getMessage);
    }

    private static TreeMap<String, byte[]> files(Path root) throws IOException {
        TreeMap<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
