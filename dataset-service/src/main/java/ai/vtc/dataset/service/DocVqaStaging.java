package ai.vtc.dataset.service;

import ai.vtc.vqa.VqaFormatException;
import ai.vtc.vqa.docvqa.DocVqaConversion;
import ai.vtc.vqa.docvqa.DocVqaFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a DocVQA-layout source into the per-split VQAv2 layout that {@link Ingester} takes, in a scratch folder, so a
 * DocVQA dataset is validated, stored and subset exactly like a VQAv2 one ({@link DocVqaConversion} says how entries
 * become questions and annotations). The DocVQA layout is the one its downloads unpack to: one folder per split
 * holding one annotation file ({@code val/val_v1.0.json}, {@code {"data": [{"questionId", "question", "image",
 * "answers"}]}}) and the images it names relative to that folder ({@code val/documents/ffbf0023_4.png}).
 *
 * <p>Everything is checked before anything is copied: every entry has answers and names an image that exists, with
 * one extension per split (PNG or JPEG); the error names the file and the entry. Images get COCO names
 * ({@code COCO_<split>_<12-digit image id>.png}), the image ids counting the split's distinct documents.
 */
public final class DocVqaStaging {
    private static final Pattern SPLIT_FILE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_-]*)/([^/]+\\.json)");
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg");

    private DocVqaStaging() {}

    /**
     * Writes {@code <split>/questions.json}, {@code <split>/annotations.json} and {@code <split>/images/} under
     * {@code out} for every split of {@code source}.
     *
     * @throws IngestProblem naming the file and entry that is wrong
     */
    public static void stage(DatasetSource source, Path out) throws IOException {
        List<String> files = source.files();
        Map<String, String> annotationFiles = annotationFiles(files, source.describe());
        Set<String> present = new HashSet<>(files);
        for (Map.Entry<String, String> split : annotationFiles.entrySet()) {
            stageSplit(split.getKey(), split.getValue(), source, present, out);
        }
    }

    /** Per split, its one annotation file; an {@link IngestProblem} when a split has several or there is none. */
    static Map<String, String> annotationFiles(List<String> files, String source) {
        Map<String, String> bySplit = new TreeMap<>();
        for (String file : files) {
            Matcher m = SPLIT_FILE.matcher(file);
            if (!m.matches()) {
                continue;
            }
            String earlier = bySplit.putIfAbsent(m.group(1), file);
            if (earlier != null) {
                throw new IngestProblem("split '" + m.group(1) + "' of " + source + " has two annotation files, "
                        + earlier + " and " + file + ": a DocVQA split folder holds one");
            }
        }
        if (bySplit.isEmpty()) {
            throw new IngestProblem("no DocVQA split in " + source + ": expected <split>/<name>.json (e.g."
                    + " val/val_v1.0.json) with the images it names under <split>/");
        }
        return bySplit;
    }

    private static void stageSplit(String split, String file, DatasetSource source, Set<String> present, Path out)
            throws IOException {
        DocVqaFile docs;
        try (InputStream in = Files.newInputStream(source.local(file))) {
            docs = DocVqaFile.read(in, source.location(file));
        } catch (VqaFormatException e) {
            throw new IngestProblem("split '" + split + "': " + e.getMessage(), e);
        }
        DocVqaConversion.Converted converted = DocVqaConversion.toVqa(docs, split, "DocVQA " + source.location(file));
        String folder = split + "/";
        String extension = null;
        List<String> sources = new ArrayList<>();
        for (DocVqaConversion.Image image : converted.images()) {
            String path = folder + image.path();
            String where = "split '" + split + "': " + source.location(file) + ", questionId " + image.questionId()
                    + ": image '" + image.path() + "'";
            if (image.path().startsWith("/")
                    || List.of(image.path().split("/")).contains("..")
                    || !present.contains(path)) {
                throw new IngestProblem(where + " does not exist (images are named relative to " + folder + ")");
            }
            String ext = extension(image.path());
            if (!EXTENSIONS.contains(ext)) {
                throw new IngestProblem(where + " is not a .png, .jpg or .jpeg file");
            }
            if (extension == null) {
                extension = ext;
            } else if (!extension.equals(ext)) {
                throw new IngestProblem(where + " is ." + ext + " while the split's first image is ." + extension
                        + ": one image format per split");
            }
            sources.add(path);
        }
        Path target = Files.createDirectories(out.resolve(split));
        converted.questions().write(target.resolve("questions.json"));
        converted.annotations().write(target.resolve("annotations.json"));
        Path images = Files.createDirectories(target.resolve("images"));
        String prefix = "COCO_" + split.replace('_', '-') + "_";
        for (int i = 0; i < sources.size(); i++) {
            DocVqaConversion.Image image = converted.images().get(i);
            Files.copy(
                    source.local(sources.get(i)),
                    images.resolve(CocoImageName.format(prefix, image.imageId(), extension)));
        }
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
