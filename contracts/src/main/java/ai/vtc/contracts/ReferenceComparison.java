package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A trial's accuracy against its reference trial: the trial of the same sweep with the same training, train settings
 * and seed and no compression. The difference is the mean over the questions both answered of this trial's VQA
 * accuracy minus the reference's, with its 95% paired bootstrap interval (the evaluator's README says how it is
 * computed).
 *
 * @param referenceTrialId the uncompressed trial compared with
 * @param difference accuracy minus the reference's, in points, over the paired questions
 * @param lower lower bound of the 95% interval of the difference
 * @param upper upper bound of the 95% interval of the difference
 * @param significant true when the interval excludes zero
 * @param questions questions both trials answered (the resampling units)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReferenceComparison(
        String referenceTrialId, double difference, double lower, double upper, boolean significant, int questions) {

    /** Why a trial has no comparison: none of its sweep-mates is its uncompressed reference (yet). */
    public static final String NO_REFERENCE = "no uncompressed reference trial in this sweep";

    /** Why the reference itself has no comparison. */
    public static final String IS_REFERENCE = "this is the uncompressed reference trial";
}
