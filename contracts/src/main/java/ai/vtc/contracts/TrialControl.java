package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * A command about a running trial, on {@link Topics#TRIAL_CONTROL} keyed by trial id. Every worker reads the
 * whole topic (its own consumer group) and acts on the trials it runs.
 *
 * @param action {@code cancel}
 * @param attempt the command covers this attempt and every earlier one (0: every attempt so far). A worker that
 *     later receives a {@link TrialRequested} of a covered attempt skips it; a newer attempt (a resubmission) runs.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrialControl(String trialId, String sweepId, String action, Instant at, int attempt) {
    public static final String CANCEL = "cancel";

    /** A command for every attempt so far. */
    public TrialControl(String trialId, String sweepId, String action, Instant at) {
        this(trialId, sweepId, action, at, 0);
    }

    /** Whether this command applies to {@code requestedAttempt} of its trial. */
    public boolean covers(int requestedAttempt) {
        return attempt == 0 || requestedAttempt <= attempt;
    }
}
