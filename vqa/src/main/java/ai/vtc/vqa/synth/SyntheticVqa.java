package ai.vtc.vqa.synth;

import ai.vtc.vqa.QuestionTypes;
import ai.vtc.vqa.VqaAnnotation;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaAnswer;
import ai.vtc.vqa.VqaHeader;
import ai.vtc.vqa.VqaQuestion;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.VqaResults;
import ai.vtc.vqa.internal.LongIndex;
import ai.vtc.vqa.internal.SplitMix64;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A synthetic VQA set in exactly the VQAv2 layout, for machines without VQAv2: rendered images of coloured shapes on
 * varied backgrounds, questions of all three answer types with VQAv2 question types, ten annotator answers each.
 *
 * <pre>
 * out/v2_OpenEnded_mscoco_train2014_questions.json   out/v2_mscoco_train2014_annotations.json   out/train2014/COCO_train2014_000000123456.png
 * out/v2_OpenEnded_mscoco_val2014_questions.json     out/v2_mscoco_val2014_annotations.json     out/val2014/COCO_val2014_000000654321.png
 * </pre>
 *
 * Image ids are distinct COCO-like numbers, question ids {@code image_id * 1000 + k}. The output depends only on the
 * options: the same seed gives the same bytes (images are drawn in parallel, each from its own random stream).
 */
public final class SyntheticVqa {
    private static final long COCO_MAX_IMAGE_ID = 581_929;

    private SyntheticVqa() {}

    /**
     * What to generate.
     *
     * @param seed everything derives from it
     * @param trainImages images in the train split (each with {@code questionsPerImage} questions)
     * @param valImages images in the val split
     * @param questionsPerImage 1..1000 (VQAv2 averages 5.4)
     * @param imageSize side in pixels; shapes cover about a fifth of it, readable from 64 px
     * @param families the question kinds to ask, picked uniformly per question
     * @param maxObjects shapes per image, 1..9 (so counts stay in 0..maxObjects)
     * @param shapes how many shape kinds (2..6: circle, square, triangle, star, diamond, hexagon)
     * @param colours how many shape colours (2..8: red, blue, green, yellow, purple, orange, pink, brown)
     * @param annotatorNoise 0: ten identical answers; 1: realistic variation and disagreement
     * @param regionSplits with {@link QuestionFamily#REGION} asked, the share of backgrounds split into two halves
     *     (0.5 by default; 1: every REGION question names a side, so only the positions of the visual features tell)
     * @param imageFormat {@code png} or {@code jpg}
     * @param renderImages false writes only the JSON files (fast, for benchmarks and tests)
     */
    public record Options(
            long seed,
            int trainImages,
            int valImages,
            int questionsPerImage,
            int imageSize,
            Set<QuestionFamily> families,
            int maxObjects,
            int shapes,
            int colours,
            double annotatorNoise,
            double regionSplits,
            String imageFormat,
            boolean renderImages) {
        public Options {
            families = families.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(families));
            require(trainImages >= 0 && valImages >= 0, "image counts must not be negative");
            require(
                    (long) trainImages + valImages <= Integer.MAX_VALUE,
                    "at most " + Integer.MAX_VALUE + " images in all");
            require(questionsPerImage >= 1 && questionsPerImage <= 1000, "questionsPerImage must be in 1..1000");
            require(imageSize >= 16 && imageSize <= 4096, "imageSize must be in 16..4096");
            require(!families.isEmpty(), "at least one question family");
            require(maxObjects >= 1 && maxObjects <= 9, "maxObjects must be in 1..9");
            require(shapes >= 2 && shapes <= ShapeKind.values().length, "shapes must be in 2..6");
            require(colours >= 2 && colours <= Colour.SHAPE_COLOURS.size(), "colours must be in 2..8");
            require(annotatorNoise >= 0 && annotatorNoise <= 1, "annotatorNoise must be in [0, 1]");
            require(regionSplits >= 0 && regionSplits <= 1, "regionSplits must be in [0, 1]");
            require(imageFormat.equals("png") || imageFormat.equals("jpg"), "imageFormat must be png or jpg");
        }

        /** 400 train and 100 val images, 5 questions each, 128 px PNG, every family, 4 shapes, 6 colours. */
        public static Options defaults() {
            return new Options(
                    0, 400, 100, 5, 128, EnumSet.allOf(QuestionFamily.class), 5, 4, 6, 1.0, 0.5, "png", true);
        }

        /** The questions of both splits, counted in a long: image counts times questions per image overflow an int. */
        public long questions() {
            return ((long) trainImages + valImages) * questionsPerImage;
        }

        /** About {@code questions} questions in all, 80% train, 20% val, at the current questions per image. */
        public Options withQuestions(int questions) {
            int images = (int) Math.max(2, ((long) questions + questionsPerImage - 1) / questionsPerImage);
            int val = Math.max(1, images / 5);
            return withImages(images - val, val);
        }

        public Options withImages(int train, int val) {
            return new Options(
                    seed,
                    train,
                    val,
                    questionsPerImage,
                    imageSize,
                    families,
                    maxObjects,
                    shapes,
                    colours,
                    annotatorNoise,
                    regionSplits,
                    imageFormat,
                    renderImages);
        }

        public Options withSeed(long s) {
            return new Options(
                    s,
                    trainImages,
                    valImages,
                    questionsPerImage,
                    imageSize,
                    families,
                    maxObjects,
                    shapes,
                    colours,
                    annotatorNoise,
                    regionSplits,
                    imageFormat,
                    renderImages);
        }

        public Options withQuestionsPerImage(int n) {
            return new Options(
                    seed,
                    trainImages,
                    valImages,
                    n,
                    imageSize,
                    families,
                    maxObjects,
                    shapes,
                    colours,
                    annotatorNoise,
                    regionSplits,
                    imageFormat,
                    renderImages);
        }

        public Options withImageSize(int px) {
            return new Options(
                    seed,
                    trainImages,
                    valImages,
                    questionsPerImage,
                    px,
                    families,
                    maxObjects,
                    shapes,
                    colours,
                    annotatorNoise,
                    regionSplits,
                    imageFormat,
                    renderImages);
        }

        public Options withFamilies(Set<QuestionFamily> f) {
            return new Options(
                    seed,
                    trainImages,
                    valImages,
                    questionsPerImage,
                    imageSize,
                    f,
                    maxObjects,
                    shapes,
                    colours,
                    annotatorNoise,
                    regionSplits,
                    imageFormat,
                    renderImages);
        }

        public Options withVocabulary(int maxObjectsPerImage, int shapeKinds, int colourCount) {
            return new Options(
                    seed,
                    trainImages,
                    valImages,
                    questionsPerImage,
                    imageSize,
                    families,
                    maxObjectsPerImage,
                    shapeKinds,
                    colourCount,
                    annotatorNoise,
                    regionSplits,
                    imageFormat,
                    renderImages);
        }

        public Options withAnnotatorNoise(double noise) {
            return new Options(
                    seed,
                    trainImages,
                    valImages,
                    questionsPerImage,
                    imageSize,
                    families,
                    maxObjects,
                    shapes,
                    colours,
                    noise,
                    regionSplits,
                    imageFormat,
                    renderImages);
        }

        public Options withRegionSplits(double share) {
            return new Options(
                    seed,
                    trainImages,
                    valImages,
                    questionsPerImage,
                    imageSize,
                    families,
                    maxObjects,
                    shapes,
                    colours,
                    annotatorNoise,
                    share,
                    imageFormat,
                    renderImages);
        }

        public Options withImageFormat(String format) {
            return new Options(
                    seed,
                    trainImages,
                    valImages,
                    questionsPerImage,
                    imageSize,
                    families,
                    maxObjects,
                    shapes,
                    colours,
                    annotatorNoise,
                    regionSplits,
                    format,
                    renderImages);
        }

        public Options withRenderImages(boolean render) {
            return new Options(
                    seed,
                    trainImages,
                    valImages,
                    questionsPerImage,
                    imageSize,
                    families,
                    maxObjects,
                    shapes,
                    colours,
                    annotatorNoise,
                    regionSplits,
                    imageFormat,
                    render);
        }

        /**
         * Every setting that changes the generated text or images, in words, e.g. {@code seed=1: 400 train + 100 val
         * images, 5 questions each, 128 px png, families [EXISTS, COUNT], up to 5 objects of 4 shapes and 6 colours,
         * annotator noise 1.0}. Two option sets with the same description generate the same files.
         */
        public String describe() {
            return "seed=" + seed + ": " + trainImages + " train + " + valImages + " val images, " + questionsPerImage
                    + " questions each, " + imageSize + " px " + imageFormat + ", families " + EnumSet.copyOf(families)
                    + ", up to " + maxObjects + " objects of " + shapes + " shapes and " + colours
                    + " colours, annotator noise " + annotatorNoise
                    + (families.contains(QuestionFamily.REGION) && regionSplits != 0.5
                            ? ", split backgrounds " + regionSplits
                            : "")
                    + (renderImages ? "" : ", no images");
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /**
     * The files of one split.
     *
     * @param name {@code train} or {@code val}
     * @param subtype {@code train2014} or {@code val2014}
     * @param imagesDir the folder of the images (absent when images were not rendered)
     * @param imagePrefix file names are {@code imagePrefix + 12-digit image id + "." + imageExtension}
     */
    public record Split(
            String name,
            String subtype,
            Path questionsFile,
            Path annotationsFile,
            Path imagesDir,
            String imagePrefix,
            String imageExtension,
            int images,
            int questions) {
        public String imageFileName(long imageId) {
            return imagePrefix + String.format("%012d", imageId) + "." + imageExtension;
        }
    }

    /** The splits written, {@code train} then {@code val}. */
    public record Generated(Map<String, Split> splits) {
        public Split split(String name) {
            Split s = splits.get(name);
            if (s == null) {
                throw new IllegalArgumentException("no split " + name);
            }
            return s;
        }
    }

    /** An image with its questions and annotations, before they are written. */
    private record ImageQa(long imageId, List<VqaQuestion> questions, List<VqaAnnotation> annotations) {}

    /** Writes a train and a val split under {@code out} (created if needed; existing files are overwritten). */
    public static Generated generate(Path out, Options o) throws IOException {
        Files.createDirectories(out);
        long[][] ids = imageIds(o);
        Map<String, Split> splits = new LinkedHashMap<>();
        String[] names = {"train", "val"};
        for (int s = 0; s < 2; s++) {
            splits.put(names[s], writeSplit(out, o, s, names[s], ids[s]));
        }
        return new Generated(splits);
    }

    private static Split writeSplit(Path out, Options o, int splitIndex, String name, long[] imageIds)
            throws IOException {
        String subtype = name + "2014";
        String prefix = "COCO_" + subtype + "_";
        Path imagesDir = out.resolve(subtype);
        if (o.renderImages()) {
            Files.createDirectories(imagesDir);
        }
        Questions questions = new Questions(o);
        List<QuestionFamily> families = new ArrayList<>(EnumSet.copyOf(o.families()));
        ImageQa[] images;
        try {
            images = IntStream.range(0, imageIds.length)
                    .parallel()
                    .mapToObj(i -> {
                        ImageQa qa = makeImage(o, questions, families, splitIndex, i, imageIds[i]);
                        if (o.renderImages()) {
                            render(
                                    o,
                                    splitIndex,
                                    i,
                                    imageIds[i],
                                    imagesDir.resolve(
                                            prefix + String.format("%012d", imageIds[i]) + "." + o.imageFormat()));
                        }
                        return qa;
                    })
                    .toArray(ImageQa[]::new);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        VqaHeader header =
                VqaHeader.of(subtype, "Synthetic VQA (coloured shapes), seed " + o.seed() + "; not real VQA data");
        VqaQuestions.Builder qb = VqaQuestions.builder(header);
        VqaAnnotations.Builder ab = VqaAnnotations.builder(header.withTaskTypeRemoved());
        for (ImageQa image : images) {
            image.questions().forEach(qb::add);
            image.annotations().forEach(ab::add);
        }
        Path questionsFile = out.resolve("v2_OpenEnded_mscoco_" + subtype + "_questions.json");
        Path annotationsFile = out.resolve("v2_mscoco_" + subtype + "_annotations.json");
        qb.build().write(questionsFile);
        ab.build().write(annotationsFile);
        return new Split(
                name,
                subtype,
                questionsFile,
                annotationsFile,
                imagesDir,
                prefix,
                o.imageFormat(),
                images.length,
                qb.size());
    }

    private static ImageQa makeImage(
            Options o, Questions questions, List<QuestionFamily> families, int split, int index, long imageId) {
        SplitMix64 rng = SplitMix64.forItem(o.seed(), 1 + split, index);
        Scene scene = Scene.random(rng, o);
        List<VqaQuestion> qs = new ArrayList<>();
        List<VqaAnnotation> as = new ArrayList<>();
        Set<String> asked = new HashSet<>();
        for (int k = 0; k < o.questionsPerImage(); k++) {
            Qa qa = null;
            for (int attempt = 0; attempt < 10 && (qa == null || asked.contains(qa.question())); attempt++) {
                qa = questions.ask(scene, families.get(rng.nextInt(families.size())), rng);
            }
            asked.add(qa.question());
            long questionId = imageId * 1000 + k;
            List<VqaAnswer> answers = Annotators.answer(qa, rng, o.annotatorNoise());
            qs.add(new VqaQuestion(imageId, qa.question(), questionId));
            as.add(new VqaAnnotation(
                    questionId, imageId, QuestionTypes.of(qa.question()), qa.kind().answerType, qa.answer(), answers));
        }
        return new ImageQa(imageId, qs, as);
    }

    /** The picture of image {@code index}; its random stream is separate, so text does not depend on rendering. */
    static BufferedImage picture(Options o, int split, int index) {
        Scene scene = Scene.random(SplitMix64.forItem(o.seed(), 1 + split, index), o);
        return SceneRenderer.render(scene, o.imageSize(), SplitMix64.forItem(o.seed(), 101 + split, index));
    }

    private static void render(Options o, int split, int index, long imageId, Path file) {
        try {
            Files.write(file, SceneRenderer.encode(picture(o, split, index), o.imageFormat()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write image " + imageId + " to " + file, e);
        }
    }

    /** Distinct COCO-like image ids, train then val. */
    private static long[][] imageIds(Options o) {
        int total = o.trainImages() + o.valImages();
        long range = Math.max(COCO_MAX_IMAGE_ID, 4L * total);
        SplitMix64 rng = SplitMix64.forItem(o.seed(), 0);
        LongIndex used = new LongIndex(total);
        long[][] ids = {new long[o.trainImages()], new long[o.valImages()]};
        for (long[] split : ids) {
            for (int i = 0; i < split.length; i++) {
                long id;
                do {
                    id = 1 + Long.remainderUnsigned(rng.nextLong(), range);
                } while (used.putIfAbsent(id, 0) >= 0);
                split[i] = id;
            }
        }
        return ids;
    }

    /**
     * Predictions for {@code annotations} that are right with probability {@code correct} (the majority answer,
     * sometimes with harmless variation such as "Yes" or "3."), otherwise another answer of the same question's
     * annotators or a random one. Deterministic by seed; for demos and tests of the evaluation.
     */
    public static VqaResults predictions(VqaAnnotations annotations, long seed, double correct) {
        VqaResults.Builder b = VqaResults.builder();
        for (int i = 0; i < annotations.size(); i++) {
            SplitMix64 rng = SplitMix64.forItem(seed, 7, annotations.questionId(i));
            String truth = annotations.multipleChoiceAnswer(i);
            String answer;
            if (rng.chance(correct)) {
                answer = rng.chance(0.8) ? truth : Character.toUpperCase(truth.charAt(0)) + truth.substring(1);
            } else if (rng.chance(0.5)) {
                answer = annotations.answer(i, rng.nextInt(annotations.answerCount(i)));
            } else {
                String[] any = {"yes", "no", "2", "red", "circle", "blue", "0", "white"};
                answer = any[rng.nextInt(any.length)];
            }
            b.add(annotations.questionId(i), answer);
        }
        return b.build();
    }
}
