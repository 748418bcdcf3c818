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
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DatasetRef(String name, String subset, String evalSplit, String manifestSha256) {
    public DatasetRef withManifest(String sha256) {
        return new DatasetRef(name, subset, evalSplit, sha256);
    }
}
