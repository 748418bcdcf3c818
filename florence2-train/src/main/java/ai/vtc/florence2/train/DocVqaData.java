package ai.vtc.florence2.train;

import ai.vtc.vqa.docvqa.DocVqaConversion;
import ai.vtc.vqa.docvqa.DocVqaFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A split of a DocVQA-layout folder ({@code <split>/<name>.json}, DocVQA's {@code {"data": [{"questionId",
 * "question", "image", "answers"}]}}, with the images it names relative to {@code <split>/}), as the DocVQA downloads
 * and {@code vqa synth-docvqa} write it, read as {@link VqaData}: the file is converted with {@link DocVqaConversion}
 * into the VQAv2 layout in a staging folder whose images link to the documents, so training, subsets and answering
 * work as for VQAv2, and {@code answers[0]} is the training target (as the Florence-2 DocVQA fine-tuning trains).
 */
public final class DocVqaData {
    private DocVqaData() {}

    /**
     * Reads {@code split} of {@code dataDir}, staging it under {@code staging} (created if needed).
     *
     * @throws IllegalArgumentException naming the file and entry when the split has no single annotation file, an
     *     entry lacks answers, or an image is missing
     */
    public static VqaData load(Path dataDir, String split, Path staging) {
        Path folder = dataDir.resolve(split);
        Path file = annotationFile(folder, dataDir, split);
        try {
            DocVqaFile docs = DocVqaFile.read(file);
            DocVqaConversion.Converted converted = DocVqaConversion.toVqa(docs, split + "2014", "DocVQA " + file);
            String ext = null;
            Path images = Files.createDirectories(staging.resolve(split + "2014"));
            for (DocVqaConversion.Image image : converted.images()) {
                Path document = folder.resolve(image.path()).normalize();
                if (!document.startsWith(folder) || !Files.isRegularFile(document)) {
                    throw new IllegalArgumentException(file + ", questionId " + image.questionId() + ": image '"
                            + image.path() + "' does not exist (images are named relative to " + folder + ")");
                }
                String e = extension(document);
                if (!e.equals("png") && !e.equals("jpg")) {
                    throw new IllegalArgumentException(file + ", questionId " + image.questionId() + ": image '"
                            + image.path() + "' is not a .png or .jpg file");
                }
                if (ext != null && !ext.equals(e)) {
                    throw new IllegalArgumentException(file + ": the split mixes ." + ext + " and ." + e
                            + " images (questionId " + image.questionId() + "); one image format per split");
                }
                ext = e;
                Path link = images.resolve(VqaData.fileName(split, image.imageId(), e));
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, document.toAbsolutePath());
            }
            converted.questions().write(staging.resolve("v2_OpenEnded_mscoco_" + split + "2014_questions.json"));
            converted.annotations().write(staging.resolve("v2_mscoco_" + split + "2014_annotations.json"));
            return VqaData.load(staging, split);
        } catch (ai.vtc.vqa.VqaFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the DocVQA split " + folder + " in " + staging, e);
        }
    }

    private static Path annotationFile(Path folder, Path dataDir, String split) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no " + split + "/ folder in " + dataDir
                    + " (a DocVQA-layout folder: <split>/<name>.json with the images it names)");
        }
        List<Path> json;
        try (Stream<Path> files = Files.list(folder)) {
            json = files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        if (json.size() != 1) {
            throw new IllegalArgumentException(
                    folder + " holds " + json.size() + " .json files; a DocVQA split folder holds one annotation file");
        }
        return json.get(0);
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
