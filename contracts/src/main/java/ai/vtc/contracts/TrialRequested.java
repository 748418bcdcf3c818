package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A trial to run, on {@link Topics#TRIALS} keyed by {@code trialId}.
 *
 * @param attempt 1 for the first publication, incremented by each retry
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrialRequested(
        String sweepId, String trialId, TrialSpec spec, String datasetManifestSha256, int attempt) {}
