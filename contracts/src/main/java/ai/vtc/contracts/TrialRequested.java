package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A trial to run, on {@link Topics#TRIALS} keyed by {@code trialId}.
 *
 * @param attempt 1 for the first publication, incremented by each retry
 * @param evalFraction under a Pareto race ({@link SearchSettings}), the share of the evaluation set this request
 *     answers: its prefix of {@link SearchSettings#prefixSize} questions, announced without {@code _DONE}; null (and in
 *     older messages): the whole set, the trial's final result
 * @param lastAllowedAttempt the highest attempt the trial may use ({@code limits.max_attempts_per_trial}): a worker
 *     counts each run of this attempt that died with its process as one more attempt and fails the request once none
 *     is left; null (older messages): the worker's {@code worker.max-attempts-per-trial}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrialRequested(
        String sweepId,
        String trialId,
        TrialSpec spec,
        String datasetManifestSha256,
        int attempt,
        Double evalFraction,
        Integer lastAllowedAttempt) {

    /** A request whose attempt budget the worker's setting gives. */
    public TrialRequested(
            String sweepId,
            String trialId,
            TrialSpec spec,
            String datasetManifestSha256,
            int attempt,
            Double evalFraction) {
        this(sweepId, trialId, spec, datasetManifestSha256, attempt, evalFraction, null);
    }

    /** A request for the whole evaluation set. */
    public TrialRequested(String sweepId, String trialId, TrialSpec spec, String datasetManifestSha256, int attempt) {
        this(sweepId, trialId, spec, datasetManifestSha256, attempt, null);
    }

    /** Whether this request answers only a prefix of the evaluation set (a rung of a race). */
    @JsonIgnore
    public boolean isRung() {
        return evalFraction != null && evalFraction < 1.0;
    }
}
