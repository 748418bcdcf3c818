package ai.vtc.dataset.service;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A COCO image file name, {@code COCO_val2014_000000000042.jpg}: prefix {@code COCO_val2014_}, a 12-digit image id,
 * extension {@code jpg}, {@code jpeg} or {@code png}. Only names of this form are ever used as object keys, so no
 * {@code ..}, separator or other surprise can come from a file name.
 */
public record CocoImageName(String prefix, long imageId, String extension) {
    private static final Pattern NAME = Pattern.compile("(COCO_[A-Za-z0-9-]+_)(\\d{12})\\.(jpg|jpeg|png)");

    public static Optional<CocoImageName> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new CocoImageName(m.group(1), Long.parseLong(m.group(2)), m.group(3)));
    }

    public static String format(String prefix, long imageId, String extension) {
        return prefix + String.format("%012d", imageId) + "." + extension;
    }

    public String fileName() {
        return format(prefix, imageId, extension);
    }

    public String contentType() {
        return extension.equals("png") ? "image/png" : "image/jpeg";
    }
}
