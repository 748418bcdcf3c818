package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A sweep as the researcher writes it (docs/architecture.md, "Sweep YAML"). The scheduler validates it and expands
 * {@link #grid} x {@link #seeds} into {@link TrialSpec}s.
 *
 * @param grid one or more blocks whose trials are united (a YAML mapping is one block, a list several; JSON always
 *     holds the list, and a single mapping is read as a list of one)
 * @param train the fine-tuned trials' settings (defaults resolved); null when the sweep says {@code train: none}
 * @param search how the trials are evaluated: the whole grid, or a race for the Pareto front ({@link SearchSettings})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepSpec(
        String name,
        String model,
        DatasetRef dataset,

        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<Grid> grid,

        List<Long> seeds,
        TrainSettings train,
        EvalSettings eval,
        Limits limits,
        SearchSettings search) {

    /** A grid search, as every sweep was before races existed. */
    public SweepSpec(
            String name,
            String model,
            DatasetRef dataset,
            List<Grid> grid,
            List<Long> seeds,
            TrainSettings train,
            EvalSettings eval,
            Limits limits) {
        this(name, model, dataset, grid, seeds, train, eval, limits, SearchSettings.GRID_SEARCH);
    }

    public SweepSpec {
        if (search == null) {
            search = SearchSettings.GRID_SEARCH; // specs stored before the search block existed
        }
    }

    /**
     * One block of axes. Each mode is crossed with the axes it takes ({@link CompressionMethod}): factor x stage x
     * sorted for the 1D poolings, factor x stage for pool2d, keep x stage for the selections (x dominant for
     * dominant_merge), image_size for downsample; {@code none} once. An absent optional axis means its default. Null
     * lists are absent axes. {@code training} ({@link Training} ids) crosses every one of them: a training-free and a
     * fine-tuned trial of each setting.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Grid(
            List<String> mode,
            List<Integer> factor,
            List<Integer> stage,
            List<Boolean> sorted,
            List<Integer> keep,
            List<Integer> dominant,
            List<Integer> imageSize,
            List<String> training) {

        /** A block of the 1D pooling axes only, fine-tuned. */
        public Grid(List<String> mode, List<Integer> factor, List<Integer> stage, List<Boolean> sorted) {
            this(mode, factor, stage, sorted, null, null, null, null);
        }
    }

    /**
     * @param maxFailedTrials the sweep stops (remaining trials cancelled) once this many trials failed for good
     * @param maxAttemptsPerTrial a trial that failed this many times goes to {@link Topics#TRIALS_DLQ}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Limits(Integer maxFailedTrials, Integer maxAttemptsPerTrial) {}
}
