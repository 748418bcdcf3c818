package ai.vtc.florence2.train;

import ai.vtc.contracts.SubsetManifest;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.subset.Selection;
import ai.vtc.vqa.subset.SubsetSize;
import ai.vtc.vqa.subset.Subsets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A split of a VQAv2-layout folder ({@code v2_OpenEnded_mscoco_<split>2014_questions.json}, {@code
 * v2_mscoco_<split>2014_annotations.json} when annotated, images {@code <split>2014/COCO_<split>2014_<12-digit
 * id>.png|jpg}), as written by {@code vqa synth} or found in a VQAv2 download, turned into {@link Example}s.
 *
 * @param annotations null when the folder has no annotations for the split
 */
public record VqaData(String split, VqaQuestions questions, VqaAnnotations annotations, Path imagesDir, String ext) {

    /** Reads a split ({@code train} or {@code val}). */
    public static VqaData load(Path dataDir, String split) {
        String subtype = split + "2014";
        Path questionsFile = dataDir.resolve("v2_OpenEnded_mscoco_" + subtype + "_questions.json");
        Path annotationsFile = dataDir.resolve("v2_mscoco_" + subtype + "_annotations.json");
        if (!Files.isRegularFile(questionsFile)) {
            throw new IllegalArgumentException("no " + questionsFile.getFileName() + " in " + dataDir
                    + " (a VQAv2-layout folder, e.g. from `vqa synth`)");
        }
        try {
            VqaQuestions questions = VqaQuestions.read(questionsFile);
            VqaAnnotations annotations =
                    Files.isRegularFile(annotationsFile) ? VqaAnnotations.read(annotationsFile) : null;
            Path images = dataDir.resolve(subtype);
            String ext = "png";
            if (questions.size() > 0 && !Files.exists(images.resolve(fileName(split, questions.imageId(0), "png")))) {
                ext = "jpg";
            }
            return new VqaData(split, questions, annotations, images, ext);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dataDir, e);
        }
    }

    static String fileName(String split, long imageId, String ext) {
        return "COCO_" + split + "2014_" + String.format("%012d", imageId) + "." + ext;
    }

    /**
     * The question ids of a subset: {@code all} (or null), the name of a manifest {@code <dataDir>/subsets/<name>.json}
     * (its ids for this split), or a size ({@code 10%}, {@code 0.1}, {@code 500}) drawn with {@link Subsets} (seed 0, by
     * question; nested across sizes).
     */
    public long[] subset(Path dataDir, String name) {
        if (name == null || name.equals("all")) {
            return questions.questionIds();
        }
        Path manifest = dataDir.resolve("subsets").resolve(name + ".json");
        try {
            if (Files.isRegularFile(manifest)) {
                return SubsetManifest.read(manifest).questionIds(split);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
        SubsetSize size;
        try {
            size = SubsetSize.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("subset must be all, a manifest name in " + dataDir.resolve("subsets")
                    + " or a size (10%, 0.1, 500), got \"" + name + "\"");
        }
        return Subsets.select(questions, 0, Selection.QUESTION, size);
    }

    /**
     * Examples of the given questions, in question-file order. With {@code withAnswers} the answer is the annotations'
     * multiple-choice answer (the training target); otherwise null.
     */
    public List<Example> examples(long[] questionIds, boolean withAnswers) {
        if (withAnswers && annotations == null) {
            throw new IllegalArgumentException("the " + split + " split has no annotations to train on");
        }
        long[] wanted = questionIds.clone();
        Arrays.sort(wanted);
        List<Example> out = new ArrayList<>(wanted.length);
        for (int i = 0; i < questions.size(); i++) {
            long id = questions.questionId(i);
            if (Arrays.binarySearch(wanted, id) < 0) {
                continue;
            }
            String answer = null;
            if (withAnswers) {
                int a = annotations.indexOf(id);
                if (a < 0) {
                    throw new IllegalArgumentException("question " + id + " has no annotation");
                }
                answer = annotations.multipleChoiceAnswer(a);
            }
            out.add(new Example(
                    id, imagesDir.resolve(fileName(split, questions.imageId(i), ext)), questions.question(i), answer));
        }
        if (out.size() != wanted.length) {
            throw new IllegalArgumentException(
                    (wanted.length - out.size()) + " subset question ids are not in the " + split + " questions");
        }
        return out;
    }
}
