package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code models/<name>/manifest.json}: the files of an uploaded model folder with the sha256 and size of each, written
 * after every file is stored. Trials carry {@link #sha256} ({@link TrialSpec#modelManifestSha256()}), so weights
 * replaced under the same name give new trial ids, and a worker refuses files that do not match.
 *
 * <p>A model folder holds exactly the files the model library reads (Hugging Face layout): {@value #CONFIG}, the
 * weights ({@value #SAFETENSORS} or {@value #PYTORCH_BIN}), {@value #TOKENIZER} and optionally {@value
 * #PREPROCESSOR}.
 *
 * @param name the model's name ({@code models/<name>/})
 * @param files file name -> its sha256 and size, in name order
 * @param sha256 SHA-256 of the canonical JSON of {@link #files} alone: the same files have the same hash under any
 *     name ({@link #seal()})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(String name, Map<String, FileEntry> files, String sha256) {

    /** The manifest's own name in the model's folder. */
    public static final String FILE_NAME = "manifest.json";

    public static final String CONFIG = "config.json";
    public static final String SAFETENSORS = "model.safetensors";
    public static final String PYTORCH_BIN = "pytorch_model.bin";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String PREPROCESSOR = "preprocessor_config.json";

    /** Every file a model folder may hold. */
    public static final Set<String> FOLDER_FILES = Set.of(CONFIG, SAFETENSORS, PYTORCH_BIN, TOKENIZER, PREPROCESSOR);

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** One file: the hex sha256 of its bytes and how many there are. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileEntry(String sha256, long bytes) {}

    public ModelManifest {
        if (files != null) {
            files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        }
    }

    /** The manifest of {@code files} under {@code name}, with its hash. */
    public static ModelManifest of(String name, Map<String, FileEntry> files) {
        return new ModelManifest(name, files, null).seal();
    }

    /** This manifest with {@link #sha256} computed from its files. */
    public ModelManifest seal() {
        return new ModelManifest(name, files, contentHash());
    }

    /** The same files under another name (the hash does not depend on the name). */
    public ModelManifest named(String newName) {
        return new ModelManifest(newName, files, sha256);
    }

    /** Bytes of all files together. */
    public long bytes() {
        return files.values().stream().mapToLong(FileEntry::bytes).sum();
    }

    private String contentHash() {
        return TrialIds.sha256Hex(CanonicalJson.of(Json.mapper().valueToTree(files)));
    }

    /**
     * What is wrong with this manifest, each a sentence; empty when it is a complete model folder whose hash matches
     * its files: the config, one weights file and the tokenizer, only {@link #FOLDER_FILES}, each with a sha256 and a
     * size.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (name == null || name.isBlank()) {
            problems.add("the manifest has no name");
        }
        if (files == null || files.isEmpty()) {
            problems.add("the manifest lists no files");
            return problems;
        }
        for (Map.Entry<String, FileEntry> file : files.entrySet()) {
            if (!FOLDER_FILES.contains(file.getKey())) {
                problems.add("'" + file.getKey() + "' is not a file of a model folder (allowed: "
                        + new TreeSet<>(FOLDER_FILES) + ")");
            }
            FileEntry entry = file.getValue();
            if (entry == null
                    || entry.sha256() == null
                    || !SHA256.matcher(entry.sha256()).matches()) {
                problems.add(file.getKey() + " has no sha256 (64 lower-case hex digits)");
            }
            if (entry != null && entry.bytes() <= 0) {
                problems.add(file.getKey() + " is empty");
            }
        }
        if (!files.containsKey(CONFIG)) {
            problems.add("the folder has no " + CONFIG);
        }
        if (!files.containsKey(TOKENIZER)) {
            problems.add("the folder has no " + TOKENIZER);
        }
        if (files.containsKey(SAFETENSORS) == files.containsKey(PYTORCH_BIN)) {
            problems.add("the folder needs exactly one weights file, " + SAFETENSORS + " or " + PYTORCH_BIN);
        }
        if (problems.isEmpty() && !contentHash().equals(sha256)) {
            problems.add("sha256 " + sha256 + " does not match the files (" + contentHash() + ")");
        }
        return problems;
    }

    /** The manifest as stored: compact JSON, files in name order. */
    public String toJson() {
        return Json.write(this);
    }

    /**
     * Parses a stored manifest and checks it ({@link #problems()}).
     *
     * @param source where the JSON came from, for the error message
     * @throws IllegalArgumentException naming {@code source} and what is wrong
     */
    public static ModelManifest read(String json, String source) {
        ModelManifest m;
        try {
            m = Json.read(json, ModelManifest.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        if (m == null) {
            throw new IllegalArgumentException(source + ": empty");
        }
        List<String> problems = m.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + String.join("; ", problems));
        }
        return m;
    }
}
