package ai.vtc.florence2.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A caption dataset in one of the two layouts of the Florence-2 LoRA trainer, as training examples whose "question"
 * is the dataset's task prompt ({@value #DEFAULT_PROMPT} unless the dataset names another) and whose answer is the
 * caption (train with the prompt template {@code {question}}):
 *
 * <ul>
 *   <li>a folder of image + caption pairs with the same stem ({@code 0001.png} + {@code 0001.txt}, the caption the
 *       text file's content, trimmed);
 *   <li>a folder with {@code metadata.jsonl}, one {@code {"file_name": "0001.png", "text": "a caption"}} per line
 *       (Hugging Face's image-folder convention), images named relative to the folder.
 * </ul>
 *
 * Images are {@code .png}, {@code .jpg} or {@code .jpeg} at the folder's top; example ids count 1, 2, ... in the order
 * of the sorted file names (pairs) or of the lines (metadata). An image without a caption, a caption without its image
 * or a malformed line is an error naming them.
 */
public final class CaptionData {
    /** The task prompt of a caption dataset that names none. */
    public static final String DEFAULT_PROMPT = "<CAPTION>";

    static final String METADATA = "metadata.jsonl";
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg");

    private CaptionData() {}

    /** The examples of {@code folder}, each asked {@code prompt} (null: {@value #DEFAULT_PROMPT}). */
    public static List<Example> load(Path folder, String prompt) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + ": no such caption folder");
        }
        String task = prompt == null ? DEFAULT_PROMPT : prompt;
        Map<Path, String> captions = Files.isRegularFile(folder.resolve(METADATA))
                ? fromMetadata(folder, folder.resolve(METADATA))
                : fromPairs(folder);
        if (captions.isEmpty()) {
            throw new IllegalArgumentException(
                    folder + " holds no captioned images (image + .txt pairs, or " + METADATA + ")");
        }
        List<Example> out = new ArrayList<>(captions.size());
        long id = 1;
        for (Map.Entry<Path, String> e : captions.entrySet()) {
            out.add(new Example(id++, e.getKey(), task, e.getValue()));
        }
        return out;
    }

    private static Map<Path, String> fromPairs(Path folder) {
        Map<String, Path> images = new TreeMap<>();
        Map<String, Path> texts = new TreeMap<>();
        for (Path p : list(folder)) {
            String name = p.getFileName().toString();
            int dot = name.lastIndexOf('.');
            if (dot <= 0 || !Files.isRegularFile(p)) {
                continue;
            }
            String stem = name.substring(0, dot);
            String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (IMAGE_EXTENSIONS.contains(ext)) {
                Path earlier = images.putIfAbsent(stem, p);
                if (earlier != null) {
                    throw new IllegalArgumentException(
                            earlier + " and " + p + " share the caption " + stem + ".txt: one image per stem");
                }
            } else if (ext.equals("txt")) {
                texts.put(stem, p);
            }
        }
        List<String> uncaptioned = images.keySet().stream()
                .filter(stem -> !texts.containsKey(stem))
                .map(stem -> images.get(stem).getFileName().toString())
                .toList();
        if (!uncaptioned.isEmpty()) {
            throw new IllegalArgumentException(uncaptioned.size() + " images in " + folder + " have no caption (a .txt"
                    + " file of the same name beside them): " + first(uncaptioned));
        }
        List<String> orphans = texts.keySet().stream()
                .filter(stem -> !images.containsKey(stem))
                .map(stem -> stem + ".txt")
                .toList();
        if (!orphans.isEmpty()) {
            throw new IllegalArgumentException(
                    orphans.size() + " captions in " + folder + " have no image: " + first(orphans));
        }
        Map<Path, String> captions = new LinkedHashMap<>();
        images.forEach(
                (stem, image) -> captions.put(image, read(texts.get(stem)).strip()));
        return captions;
    }

    private static Map<Path, String> fromMetadata(Path folder, Path metadata) {
        ObjectMapper json = new ObjectMapper();
        Map<Path, String> captions = new LinkedHashMap<>();
        String[] lines = read(metadata).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = metadata + ", line " + (i + 1);
            JsonNode row;
            try {
                row = json.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": not a JSON object: " + e.getMessage());
            }
            JsonNode file = row == null ? null : row.get("file_name");
            JsonNode text = row == null ? null : row.get("text");
            if (file == null || !file.isTextual()) {
                throw new IllegalArgumentException(where + " has no \"file_name\"");
            }
            Path image = folder.resolve(file.textValue()).normalize();
            if (!image.startsWith(folder) || !Files.isRegularFile(image)) {
                throw new IllegalArgumentException(where + ": image '" + file.textValue() + "' does not exist");
            }
            if (text == null || !text.isTextual()) {
                throw new IllegalArgumentException(
                        where + ": image '" + file.textValue() + "' has no caption (a \"text\" string)");
            }
            if (captions.put(image, text.textValue().strip()) != null) {
                throw new IllegalArgumentException(where + ": image '" + file.textValue() + "' is captioned twice");
            }
        }
        List<String> uncaptioned = list(folder).stream()
                .filter(p -> IMAGE_EXTENSIONS.contains(extension(p)) && !captions.containsKey(p.normalize()))
                .map(p -> p.getFileName().toString())
                .sorted()
                .toList();
        if (!uncaptioned.isEmpty()) {
            throw new IllegalArgumentException(uncaptioned.size() + " images in " + folder + " have no caption in "
                    + METADATA + ": " + first(uncaptioned));
        }
        return captions;
    }

    private static String first(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(10, names.size()))) + (names.size() > 10 ? ", ..." : "");
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
