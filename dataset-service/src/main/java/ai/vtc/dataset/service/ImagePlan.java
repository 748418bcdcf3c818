package ai.vtc.dataset.service;

import ai.vtc.vqa.VqaQuestions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The images one split needs, each found in the source: every image its questions name, once. All image files of
 * the split's folder must be COCO names of one prefix and extension (the dataset manifest names images that way).
 *
 * @param folder the split's image folder in the source
 * @param prefix {@code COCO_val2014_}
 * @param extension {@code jpg} or {@code png}
 * @param images the needed images, in the order the questions first name them
 * @param unused image files no question names (not uploaded)
 */
public record ImagePlan(String folder, String prefix, String extension, List<Image> images, int unused) {

    /**
     * One image to upload.
     *
     * @param path its path in the source
     * @param questionId the first question that names it, for messages
     */
    public record Image(CocoImageName name, String path, long questionId) {}

    /** The plan of {@code split}; an {@link IngestProblem} names the first bad or missing file. */
    public static ImagePlan of(SplitFiles split, VqaQuestions questions, List<String> files, String source) {
        String folder = null;
        Map<String, String> inFolder = new LinkedHashMap<>();
        for (String candidate : split.imageFolders()) {
            String dir = candidate + "/";
            for (String file : files) {
                if (file.startsWith(dir) && file.indexOf('/', dir.length()) < 0) {
                    inFolder.put(file.substring(dir.length()), file);
                }
            }
            if (!inFolder.isEmpty()) {
                folder = candidate;
                break;
            }
        }
        if (folder == null) {
            if (questions.size() == 0) {
                return new ImagePlan(split.imageFolders().get(0), "COCO_" + split.name() + "_", "jpg", List.of(), 0);
            }
            throw new IngestProblem("split '" + split.name() + "': no images in " + source
                    + ": expected COCO images in " + String.join("/ or ", split.imageFolders()) + "/");
        }
        CocoImageName first = null;
        Map<Long, CocoImageName> byId = new HashMap<>();
        for (Map.Entry<String, String> e : inFolder.entrySet()) {
            CocoImageName name = CocoImageName.parse(e.getKey())
                    .orElseThrow(() -> new IngestProblem("split '" + split.name() + "': " + e.getValue() + " in "
                            + source + " is not a COCO image name (COCO_<subtype>_<12-digit image id>.jpg or .png)"));
            if (first == null) {
                first = name;
            } else if (!name.prefix().equals(first.prefix())
                    || !name.extension().equals(first.extension())) {
                throw new IngestProblem("split '" + split.name() + "': " + folder + "/ in " + source + " mixes "
                        + first.fileName() + " and " + name.fileName() + ": one prefix and extension per split");
            }
            byId.put(name.imageId(), name);
        }
        List<Image> needed = new ArrayList<>();
        Map<Long, Boolean> seen = new HashMap<>();
        for (int q = 0; q < questions.size(); q++) {
            long imageId = questions.imageId(q);
            if (seen.putIfAbsent(imageId, Boolean.TRUE) != null) {
                continue;
            }
            CocoImageName name = byId.get(imageId);
            if (name == null) {
                throw new IngestProblem("split '" + split.name() + "': missing image for image_id " + imageId
                        + " (question_id " + questions.questionId(q) + " in " + split.questionsFile() + "): no "
                        + (imageId < 0
                                ? "file can be named for a negative id"
                                : folder + "/" + CocoImageName.format(first.prefix(), imageId, first.extension()))
                        + " in " + source);
            }
            needed.add(new Image(name, inFolder.get(name.fileName()), questions.questionId(q)));
        }
        return new ImagePlan(folder, first.prefix(), first.extension(), needed, byId.size() - needed.size());
    }
}
