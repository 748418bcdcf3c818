package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The fully resolved specification of one trial. Its canonical JSON determines the trial id ({@link TrialIds}):
 * the same spec gives the same id in any sweep.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrialSpec(
        String model, DatasetRef dataset, Compression compression, TrainSettings train, EvalSettings eval, long seed) {}
