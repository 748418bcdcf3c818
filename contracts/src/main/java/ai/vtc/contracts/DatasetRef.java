package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The data a trial trains and evaluates on.
 *
 * @param name dataset name, {@code datasets/<name>/} in object storage
 * @param subset subset name, {@code datasets/<name>/subsets/<subset>.json}
 * @param evalSplit split the predictions are made for (e.g. {@code val})
 * @param manifestSha256 sha256 of the subset manifest; filled in by the scheduler when it resolves a sweep
 * @param evalSubset the subset whose {@code evalSplit} questions every trial answers; null: {@code subset}'s
 * @param evalManifestSha256 sha256 of {@code evalSubset}'s manifest; null when {@code evalSubset} is null
 * @param task what the dataset asks ({@code dataset.task} of the sweep); null when the sweep does not say, and in
 *     messages from before tasks existed: then the dataset's manifest decides, and without one it is VQA
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DatasetRef(
        String name,
        String subset,
        String evalSplit,
        String manifestSha256,
        String evalSubset,
        String evalManifestSha256,
        DatasetTask task) {

    /** A reference whose training subset also gives the evaluation questions. */
    public DatasetRef(String name, String subset, String evalSplit, String manifestSha256) {
        this(name, subset, evalSplit, manifestSha256, null, null, null);
    }

    /** A reference that leaves the task to the dataset's manifest. */
    public DatasetRef(
            String name,
            String subset,
            String evalSplit,
            String manifestSha256,
            String evalSubset,
            String evalManifestSha256) {
        this(name, subset, evalSplit, manifestSha256, evalSubset, evalManifestSha256, null);
    }

    public DatasetRef withManifest(String sha256) {
        return new DatasetRef(name, subset, evalSplit, sha256, evalSubset, evalManifestSha256, task);
    }

    /** This reference with the evaluation subset's manifest hash. */
    public DatasetRef withEvalManifest(String sha256) {
        return new DatasetRef(name, subset, evalSplit, manifestSha256, evalSubset, sha256, task);
    }

    /** The subset whose {@link #evalSplit} questions are answered: {@link #evalSubset}, else {@link #subset}. */
    public String evaluationSubset() {
        return evalSubset != null ? evalSubset : subset;
    }

    /** The manifest hash of {@link #evaluationSubset()}. */
    public String evaluationManifestSha256() {
        return evalSubset != null ? evalManifestSha256 : manifestSha256;
    }
}
