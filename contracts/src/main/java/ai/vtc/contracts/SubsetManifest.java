package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * {@code datasets/<dataset>/subsets/<name>.json}: the question ids of a deterministic nested subset per split
 * (1% of a split is contained in its 5%, for the same seed). Trials carry {@link #sha256}, so a trial's data can
 * never change under it.
 *
 * @param fraction share of each split's questions, in (0, 1]; null for a subset of a fixed {@code count}
 * @param count questions (or images) per split of a fixed-size subset; null for a fraction
 * @param selection {@code image} for subsets of whole images; null (absent) for subsets of questions
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

    public List<Long> ids(String split) {
        List<Long> ids = questionIds.get(split);
        if (ids == null) {
            throw new IllegalArgumentException("subset " + name + " of " + dataset + " has no split '" + split
                    + "' (has " + questionIds.keySet() + ")");
        }
        return ids;
    }
}
