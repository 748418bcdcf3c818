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
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrialControl(String trialId, String sweepId, String action, Instant at) {
    public static final String CANCEL = "cancel";
}
