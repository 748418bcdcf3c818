package ai.vtc.dataset.rest;

import ai.vtc.contracts.DatasetTask;
import ai.vtc.dataset.service.InvalidRequest;
import ai.vtc.dataset.service.SubsetSpec;
import ai.vtc.vqa.synth.DocumentKind;
import ai.vtc.vqa.synth.QuestionFamily;
import ai.vtc.vqa.synth.SyntheticDocVqa;
import ai.vtc.vqa.synth.SyntheticVqa;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/** The JSON bodies of the POST endpoints (snake_case on the wire); absent members take the defaults shown. */
public final class Requests {
    private Requests() {}

    /**
     * {@code POST /datasets/synthetic}: a generated set (train and val) in the VQAv2 layout.
     *
     * @param questions about this many questions in all, 80% train and 20% val (instead of the image counts)
     * @param trainImages images of the train split (default 400), each with {@code questions_per_image} questions
     * @param valImages images of the val split (default 100)
     * @param questionsPerImage 1..1000 (default 5)
     * @param imageSize pixels per side, 16..4096 (default 128)
     * @param families question kinds, default all: EXISTS, COMPARE, VERIFY, COUNT, COLOR, SHAPE, BACKGROUND, REGION
     * @param maxObjects shapes per image 1..9 (default 5)
     * @param shapes shape kinds 2..6 (default 4)
     * @param colours shape colours 2..8 (default 6)
     * @param annotatorNoise 0 (ten identical answers) to 1 (realistic variation, the default)
     * @param regionSplits with the REGION family, the share of backgrounds split in two halves (default 0.5)
     * @param imageFormat png (default) or jpg
     * @param subsets nested subsets to make with the dataset, e.g. ["1%", "5%", "10%"]
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Synthetic(
            String name,
            Long seed,
            Integer questions,
            Integer trainImages,
            Integer valImages,
            Integer questionsPerImage,
            Integer imageSize,
            List<String> families,
            Integer maxObjects,
            Integer shapes,
            Integer colours,
            Double annotatorNoise,
            Double regionSplits,
            String imageFormat,
            List<String> subsets,
            Long subsetSeed,
            String subsetSelection) {

        public SyntheticVqa.Options options() {
            if (questions != null && (trainImages != null || valImages != null)) {
                throw new InvalidRequest("give either questions or train_images/val_images, not both");
            }
            SyntheticVqa.Options d = SyntheticVqa.Options.defaults();
            try {
                SyntheticVqa.Options o = new SyntheticVqa.Options(
                        seed != null ? seed : 0,
                        trainImages != null ? trainImages : d.trainImages(),
                        valImages != null ? valImages : d.valImages(),
                        questionsPerImage != null ? questionsPerImage : d.questionsPerImage(),
                        imageSize != null ? imageSize : d.imageSize(),
                        families == null || families.isEmpty() ? d.families() : families(families),
                        maxObjects != null ? maxObjects : d.maxObjects(),
                        shapes != null ? shapes : d.shapes(),
                        colours != null ? colours : d.colours(),
                        annotatorNoise != null ? annotatorNoise : d.annotatorNoise(),
                        regionSplits != null ? regionSplits : d.regionSplits(),
                        imageFormat != null ? imageFormat : d.imageFormat(),
                        true);
                if (questions != null) {
                    if (questions < 2) {
                        throw new InvalidRequest("questions must be at least 2 (one train and one val image)");
                    }
                    o = o.withQuestions(questions);
                }
                return o;
            } catch (IllegalArgumentException e) {
                throw new InvalidRequest(e.getMessage());
            }
        }

        private static EnumSet<QuestionFamily> families(List<String> names) {
            EnumSet<QuestionFamily> set = EnumSet.noneOf(QuestionFamily.class);
            for (String n : names) {
                try {
                    set.add(QuestionFamily.valueOf(n.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequest(
                            "unknown question family '" + n + "' (known: " + List.of(QuestionFamily.values()) + ")");
                }
            }
            return set;
        }

        public List<SubsetSpec> subsetSpecs() {
            return Requests.subsetSpecs(subsets, subsetSeed, subsetSelection);
        }
    }

    /**
     * {@code POST /datasets/synthetic-docvqa}: a generated DocVQA-style set (train and val) of rendered forms,
     * receipts and tables whose answers are printed on them, stored as a DocVQA dataset (scored with ANLS).
     *
     * @param questions about this many questions in all, 80% train and 20% val (instead of the document counts)
     * @param trainDocuments documents of the train split (default 400)
     * @param valDocuments documents of the val split (default 100)
     * @param questionsPerDocument 1..8 (default 4)
     * @param imageSize pixels per side, 16..4096 (default 320; text stays readable from 256)
     * @param kinds document kinds, default all: FORM, RECEIPT, TABLE
     * @param imageFormat png (default) or jpg
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SyntheticDocVqaSet(
            String name,
            Long seed,
            Integer questions,
            Integer trainDocuments,
            Integer valDocuments,
            Integer questionsPerDocument,
            Integer imageSize,
            List<String> kinds,
            String imageFormat,
            List<String> subsets,
            Long subsetSeed,
            String subsetSelection) {

        public SyntheticDocVqa.Options options() {
            if (questions != null && (trainDocuments != null || valDocuments != null)) {
                throw new InvalidRequest("give either questions or train_documents/val_documents, not both");
            }
            SyntheticDocVqa.Options d = SyntheticDocVqa.Options.defaults();
            try {
                SyntheticDocVqa.Options o = new SyntheticDocVqa.Options(
                        seed != null ? seed : 0,
                        trainDocuments != null ? trainDocuments : d.trainDocuments(),
                        valDocuments != null ? valDocuments : d.valDocuments(),
                        questionsPerDocument != null ? questionsPerDocument : d.questionsPerDocument(),
                        imageSize != null ? imageSize : d.imageSize(),
                        kinds == null || kinds.isEmpty() ? d.kinds() : kinds(kinds),
                        imageFormat != null ? imageFormat : d.imageFormat(),
                        true);
                if (questions != null) {
                    if (questions < 2) {
                        throw new InvalidRequest("questions must be at least 2 (one train and one val document)");
                    }
                    o = o.withQuestions(questions);
                }
                return o;
            } catch (IllegalArgumentException e) {
                throw new InvalidRequest(e.getMessage());
            }
        }

        private static EnumSet<DocumentKind> kinds(List<String> names) {
            EnumSet<DocumentKind> set = EnumSet.noneOf(DocumentKind.class);
            for (String n : names) {
                try {
                    set.add(DocumentKind.valueOf(n.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequest(
                            "unknown document kind '" + n + "' (known: " + List.of(DocumentKind.values()) + ")");
                }
            }
            return set;
        }

        public List<SubsetSpec> subsetSpecs() {
            return Requests.subsetSpecs(subsets, subsetSeed, subsetSelection);
        }
    }

    /**
     * {@code POST /datasets/ingest}: a dataset from a folder of the service's machine or an S3 prefix of the
     * project's bucket (exactly one of them), in the VQAv2 layout or, with {@code task: docvqa}, in DocVQA's.
     *
     * @param task {@code vqa} (default) or {@code docvqa}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Ingest(
            String name,
            String folder,
            String s3Prefix,
            String task,
            List<String> subsets,
            Long subsetSeed,
            String subsetSelection) {
        public List<SubsetSpec> subsetSpecs() {
            return Requests.subsetSpecs(subsets, subsetSeed, subsetSelection);
        }

        public DatasetTask datasetTask() {
            try {
                return DatasetTask.fromId(task);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequest(e.getMessage());
            }
        }
    }

    /**
     * {@code POST /datasets/{name}/subsets}: exactly one of {@code fraction}, {@code count}, {@code size}.
     *
     * @param name default from the size: {@code 5pct}, {@code n500} (plus {@code -seed<n>}, {@code -images})
     * @param size {@code "5%"}, {@code "0.05"} or {@code "500"}
     * @param selection {@code question} (default) or {@code image} (whole images with all their questions)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Subset(String name, Double fraction, Long count, String size, Long seed, String selection) {
        public SubsetSpec spec() {
            return SubsetSpec.of(name, fraction, count, size, seed, selection);
        }
    }

    static List<SubsetSpec> subsetSpecs(List<String> sizes, Long seed, String selection) {
        List<SubsetSpec> specs = new ArrayList<>();
        if (sizes != null) {
            for (String size : sizes) {
                SubsetSpec spec = SubsetSpec.of(null, null, null, size, seed, selection);
                if (specs.stream().anyMatch(s -> s.name().equals(spec.name()))) {
                    throw new InvalidRequest("subset size '" + size + "' is given twice");
                }
                specs.add(spec);
            }
        }
        return specs;
    }
}
