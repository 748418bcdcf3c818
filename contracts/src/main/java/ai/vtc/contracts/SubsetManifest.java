package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code datasets/<dataset>/subsets/<name>.json}: the question ids of a deterministic nested subset per split
 * (1% of a split is contained in its 5%, for the same seed). Trials carry {@link #sha256}, so a trial's data can
 * never change under it.
 *
 * <p>The one owner of this format: the vqa library ({@code Subsets.manifest}, {@code vqa subset}) makes manifests of
 * this type, the dataset service stores and serves {@link #toJson()} as it is, the evaluator and the workers read
 * them with {@link #read(String, String)}. So the same subset has the same bytes and the same hash whichever path
 * made it. Splits are kept in name order, so the JSON does not depend on the order they were given in.
 *
 * @param fraction share of each split's questions (or images), in (0, 1]; null for a subset of a fixed
 *     {@code count}
 * @param count questions (or images) per split of a fixed-size subset; null for a fraction
 * @param selection {@link #IMAGE_SELECTION} for subsets of whole images; null (absent) for subsets of questions
 * @param questionIds per split, ascending
 * @param sha256 SHA-256 of the canonical JSON of this manifest without this field ({@link #seal()})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubsetManifest(
        String dataset,
        String name,
        long seed,
        Double fraction,
        Long count,
        String selection,
        Map<String, List<Long>> questionIds,
        String sha256) {

    /** The {@link #selection} of a subset of whole images (with all their questions). */
    public static final String IMAGE_SELECTION = "image";

    public SubsetManifest {
        if (selection != null && !selection.equals(IMAGE_SELECTION)) {
            throw new IllegalArgumentException("a subset's selection is \"" + IMAGE_SELECTION
                    + "\" or absent (questions), not \"" + selection + "\"");
        }
        if (questionIds != null) {
            questionIds = Collections.unmodifiableSortedMap(new TreeMap<>(questionIds));
        }
    }

    /** A subset of a fraction of the questions. */
    public SubsetManifest(
            String dataset,
            String name,
            long seed,
            double fraction,
            Map<String, List<Long>> questionIds,
            String sha256) {
        this(dataset, name, seed, fraction, null, null, questionIds, sha256);
    }

    /** This manifest with {@link #sha256} computed from its content. */
    public SubsetManifest seal() {
        return new SubsetManifest(dataset, name, seed, fraction, count, selection, questionIds, contentHash());
    }

    /** True when {@link #sha256} matches the content. */
    public boolean verifies() {
        return contentHash().equals(sha256);
    }

    private String contentHash() {
        return TrialIds.sha256Hex(CanonicalJson.of(
                new SubsetManifest(dataset, name, seed, fraction, count, selection, questionIds, null)));
    }

    /** The ascending question ids of {@code split}. */
    public List<Long> ids(String split) {
        List<Long> ids = questionIds.get(split);
        if (ids == null) {
            throw new IllegalArgumentException("subset " + name + " of " + dataset + " has no split '" + split
                    + "' (has " + questionIds.keySet() + ")");
        }
        return ids;
    }

    /** {@link #ids(String)} as a new array, as the vqa library selects questions and annotations. */
    public long[] questionIds(String split) {
        return ids(split).stream().mapToLong(Long::longValue).toArray();
    }

    /** The manifest as stored and served: this JSON is the format (compact, members in declaration order). */
    public String toJson() {
        return Json.write(this);
    }

    /** Writes {@link #toJson()} to {@code file} (UTF-8). */
    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    /** Reads and checks a manifest file ({@link #read(String, String)}). */
    public static SubsetManifest read(Path file) throws IOException {
        return read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses a manifest and checks it: every member present, each split's ids ascending and distinct, and the
     * sha256 that of the content.
     *
     * @param source where the JSON came from, for the error message
     * @throws IllegalArgumentException naming {@code source} and what is wrong
     */
    public static SubsetManifest read(String json, String source) {
        SubsetManifest m;
        try {
            m = Json.read(json, SubsetManifest.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        if (m.dataset() == null || m.name() == null || m.questionIds() == null || m.sha256() == null) {
            throw new IllegalArgumentException(
                    source + ": a subset manifest needs dataset, name, seed, question_ids and sha256");
        }
        if ((m.fraction() == null) == (m.count() == null)) {
            throw new IllegalArgumentException(source + ": a subset manifest has either a fraction or a count");
        }
        for (Map.Entry<String, List<Long>> split : m.questionIds().entrySet()) {
            List<Long> ids = split.getValue();
            for (int i = 0; i < ids.size(); i++) {
                if (ids.get(i) == null || i > 0 && ids.get(i - 1) >= ids.get(i)) {
                    throw new IllegalArgumentException(
                            source + ": question_ids." + split.getKey() + " must be ascending and distinct");
                }
            }
        }
        if (!m.verifies()) {
            throw new IllegalArgumentException(source + ": sha256 " + m.sha256() + " does not match the content ("
                    + m.seal().sha256() + ")");
        }
        return m;
    }
}
