package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code predictions/<trial>/metrics.json}: what a finished trial measured, written by the worker after the
 * predictions and before {@code _DONE}. It also keeps the {@link PredictionsReady} message, so a done trial that is
 * delivered again is announced again from storage instead of being recomputed.
 *
 * @param steps optimizer steps the trial ran
 * @param finalLoss mean loss of the last optimizer step; absent when no step ran
 * @param questions evaluation questions answered
 * @param visualTokens visual tokens the language model kept (1 global + the pooled grid)
 * @param worker id of the worker that ran the trial
 * @param ready the message published on {@link Topics#PREDICTIONS}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrialMetrics(
        String trialId,
        String sweepId,
        long steps,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double finalLoss,
        int questions,
        int visualTokens,
        String worker,
        PredictionsReady ready) {}
