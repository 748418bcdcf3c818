package ai.vtc.vqa.synth;

import ai.vtc.vqa.docvqa.DocVqaFile;
import ai.vtc.vqa.docvqa.DocVqaQuestion;
import ai.vtc.vqa.internal.SplitMix64;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A synthetic DocVQA-style set in DocVQA's own layout, for machines without DocVQA: rendered documents (filled-in
 * forms, shop receipts, report tables) with questions whose answers are strings printed on them.
 *
 * <pre>
 * out/train/train_v1.0.json   out/train/documents/form_000001.png ...
 * out/val/val_v1.0.json       out/val/documents/table_000401.png ...
 * </pre>
 *
 * The annotation files are DocVQA's ({@code {"dataset_name", "dataset_version", "dataset_split", "data":
 * [{"questionId", "question", "image", "docId", "answers", "question_types", "data_split"}]}}), with the document's
 * kind as its question type. Document ids count 1, 2, 3, ... over train then val, question ids are
 * {@code docId * 100 + k}. The output depends only on the options: the same seed gives the same bytes on any machine
 * (the documents are drawn with a fixed dot font, in parallel, each from its own random stream).
 */
public final class SyntheticDocVqa {
    public static final String DATASET_NAME = "synthetic DocVQA";
    public static final String DATASET_VERSION = "1.0";

    private SyntheticDocVqa() {}

    /**
     * What to generate.
     *
     * @param seed everything derives from it
     * @param trainDocuments documents of the train split
     * @param valDocuments documents of the val split
     * @param questionsPerDocument 1..8 (DocVQA averages about 4)
     * @param imageSize side in pixels; the page is 320 dots a side, so text is crisp at 320 and readable from 256
     * @param kinds the document kinds, picked uniformly per document
     * @param imageFormat {@code png} or {@code jpg}
     * @param renderImages false writes only the JSON files (fast, for tests)
     */
    public record Options(
            long seed,
            int trainDocuments,
            int valDocuments,
            int questionsPerDocument,
            int imageSize,
            Set<DocumentKind> kinds,
            String imageFormat,
            boolean renderImages) {
        public Options {
            kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
            require(trainDocuments >= 0 && valDocuments >= 0, "document counts must not be negative");
            require(questionsPerDocument >= 1 && questionsPerDocument <= 8, "questionsPerDocument must be in 1..8");
            require(imageSize >= 16 && imageSize <= 4096, "imageSize must be in 16..4096");
            require(!kinds.isEmpty(), "at least one document kind");
            require(imageFormat.equals("png") || imageFormat.equals("jpg"), "imageFormat must be png or jpg");
        }

        /** 400 train and 100 val documents, 4 questions each, 320 px PNG, every kind. */
        public static Options defaults() {
            return new Options(0, 400, 100, 4, 320, EnumSet.allOf(DocumentKind.class), "png", true);
        }

        /** About {@code questions} questions in all, 80% train, 20% val, at the current questions per document. */
        public Options withQuestions(int questions) {
            int documents = Math.max(2, (questions + questionsPerDocument - 1) / questionsPerDocument);
            int val = Math.max(1, documents / 5);
            return withDocuments(documents - val, val);
        }

        public Options withDocuments(int train, int val) {
            return new Options(seed, train, val, questionsPerDocument, imageSize, kinds, imageFormat, renderImages);
        }

        public Options withSeed(long s) {
            return new Options(
                    s, trainDocuments, valDocuments, questionsPerDocument, imageSize, kinds, imageFormat, renderImages);
        }

        public Options withImageSize(int px) {
            return new Options(
                    seed, trainDocuments, valDocuments, questionsPerDocument, px, kinds, imageFormat, renderImages);
        }

        public Options withRenderImages(boolean render) {
            return new Options(
                    seed, trainDocuments, valDocuments, questionsPerDocument, imageSize, kinds, imageFormat, render);
        }

        /**
         * Every setting that changes the generated files, in words, e.g. {@code seed=1: 400 train + 100 val
         * documents, 4 questions each, 320 px png, kinds [FORM, RECEIPT, TABLE]}.
         */
        public String describe() {
            return "DocVQA seed=" + seed + ": " + trainDocuments + " train + " + valDocuments + " val documents, "
                    + questionsPerDocument + " questions each, " + imageSize + " px " + imageFormat + ", kinds "
                    + EnumSet.copyOf(kinds) + (renderImages ? "" : ", no images");
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
     * @param folder {@code out/<name>}, the folder of the annotation file; images are named relative to it
     */
    public record Split(String name, Path folder, Path annotationsFile, int documents, int questions) {}

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

    /** Writes a train and a val split under {@code out} (created if needed; existing files are overwritten). */
    public static Generated generate(Path out, Options o) throws IOException {
        Map<String, Split> splits = new LinkedHashMap<>();
        splits.put("train", writeSplit(out, o, 0, "train", 1, o.trainDocuments()));
        splits.put("val", writeSplit(out, o, 1, "val", 1L + o.trainDocuments(), o.valDocuments()));
        return new Generated(splits);
    }

    private static Split writeSplit(Path out, Options o, int split, String name, long firstDocId, int documents)
            throws IOException {
        Path folder = Files.createDirectories(out.resolve(name));
        Path images = folder.resolve("documents");
        if (o.renderImages()) {
            Files.createDirectories(images);
        }
        List<DocumentKind> kinds = new ArrayList<>(EnumSet.copyOf(o.kinds()));
        List<List<DocVqaQuestion>> perDocument;
        try {
            perDocument = IntStream.range(0, documents)
                    .parallel()
                    .mapToObj(i -> document(o, kinds, split, i, firstDocId + i, name, images))
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<DocVqaQuestion> data = new ArrayList<>();
        perDocument.forEach(data::addAll);
        Path file = folder.resolve(name + "_v1.0.json");
        new DocVqaFile(DATASET_NAME, DATASET_VERSION, name, data).write(file);
        return new Split(name, folder, file, documents, data.size());
    }

    private static List<DocVqaQuestion> document(
            Options o, List<DocumentKind> kinds, int split, int index, long docId, String splitName, Path images) {
        SyntheticDocument doc = make(o, kinds, split, index);
        String file =
                doc.kind().questionType() + "_" + String.format(Locale.ROOT, "%06d", docId) + "." + o.imageFormat();
        SplitMix64 pick = SplitMix64.forItem(o.seed(), 201 + split, index);
        List<DocQa> candidates = new ArrayList<>(doc.questions());
        List<DocVqaQuestion> questions = new ArrayList<>();
        for (int k = 0; k < o.questionsPerDocument() && !candidates.isEmpty(); k++) {
            DocQa qa = candidates.remove(pick.nextInt(candidates.size()));
            questions.add(new DocVqaQuestion(
                    docId * 100 + k,
                    qa.question(),
                    "documents/" + file,
                    docId,
                    qa.answers(),
                    List.of(doc.kind().questionType()),
                    splitName));
        }
        if (o.renderImages()) {
            Path target = images.resolve(file);
            try {
                Files.write(
                        target,
                        SceneRenderer.encode(
                                DocumentRenderer.render(
                                        doc.page(), o.imageSize(), SplitMix64.forItem(o.seed(), 101 + split, index)),
                                o.imageFormat()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write document " + docId + " to " + target, e);
            }
        }
        return questions;
    }

    /** Document {@code index} of a split; its own random stream, so documents do not depend on each other. */
    static SyntheticDocument make(Options o, List<DocumentKind> kinds, int split, int index) {
        SplitMix64 rng = SplitMix64.forItem(o.seed(), 1 + split, index);
        return switch (kinds.get(rng.nextInt(kinds.size()))) {
            case FORM -> FormDocument.make(rng);
            case RECEIPT -> ReceiptDocument.make(rng);
            case TABLE -> TableDocument.make(rng);
        };
    }
}
