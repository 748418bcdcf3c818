package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The fully resolved specification of one trial. Its canonical JSON determines the trial id ({@link TrialIds}):
 * the same spec gives the same id in any sweep.
 *
 * @param model the model's name, {@code models/<model>/} in object storage
 * @param modelManifestSha256 the sha256 of the model's manifest ({@link ModelManifest}); filled in by the scheduler
 *     when it resolves a sweep, so that a model replaced under the same name gives new trial ids. Null (absent from
 *     the JSON, so the id is the one it always was) for a model stored without a manifest
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrialSpec(
        String model,
        String modelManifestSha256,
        DatasetRef dataset,
        Compression compression,
        TrainSettings train,
        EvalSettings eval,
        long seed) {

    /** A spec of a model stored without a manifest. */
    public TrialSpec(
            String model,
            DatasetRef dataset,
            Compression compression,
            TrainSettings train,
            EvalSettings eval,
            long seed) {
        this(model, null, dataset, compression, train, eval, seed);
    }
}
