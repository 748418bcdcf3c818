package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A sweep as the researcher writes it (DESIGN section 8). The scheduler validates it and expands {@link #grid}
 * x {@link #seeds} into {@link TrialSpec}s.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepSpec(
        String name,
        String model,
        DatasetRef dataset,
        Grid grid,
        List<Long> seeds,
        TrainSettings train,
        EvalSettings eval,
        Limits limits) {

    /** The axes whose cartesian product (x seeds) gives the trials; {@code none} is expanded once. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Grid(List<String> mode, List<Integer> factor, List<Integer> stage, List<Boolean> sorted) {}

    /**
     * @param maxFailedTrials the sweep stops (remaining trials cancelled) once this many trials failed for good
     * @param maxAttemptsPerTrial a trial that failed this many times goes to {@link Topics#TRIALS_DLQ}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Limits(Integer maxFailedTrials, Integer maxAttemptsPerTrial) {}
}
