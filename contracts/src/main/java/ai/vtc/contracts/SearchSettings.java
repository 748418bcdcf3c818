package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * How a sweep spends its evaluations (the sweep YAML's {@code search}). {@code grid} evaluates every trial on the whole
 * evaluation set. {@code pareto_race} evaluates every trial on a nested prefix of it ({@code fractions}, rung by rung)
 * and stops, after each rung, the trials that another trial of the sweep dominates with confidence: cheaper or equal
 * in visual tokens and more accurate, the paired interval of the difference at {@code confidence} excluding zero. A
 * frontier search spends its questions on the settings that can still be on the frontier.
 *
 * @param strategy {@link #GRID} or {@link #PARETO_RACE}
 * @param fractions the rungs' shares of the evaluation set, increasing, the last 1.0; null under {@code grid}
 * @param confidence the level of the paired interval a stop needs; null under {@code grid}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SearchSettings(String strategy, List<Double> fractions, Double confidence) {
    public static final String GRID = "grid";
    public static final String PARETO_RACE = "pareto_race";
    public static final List<String> STRATEGIES = List.of(GRID, PARETO_RACE);
    public static final List<Double> DEFAULT_FRACTIONS = List.of(0.1, 0.3, 1.0);
    public static final double DEFAULT_CONFIDENCE = 0.95;

    /** Today's behaviour and the default: every trial answers every question. */
    public static final SearchSettings GRID_SEARCH = new SearchSettings(GRID, null, null);

    /** A race with the defaults resolved. */
    public static SearchSettings race(List<Double> fractions, Double confidence) {
        return new SearchSettings(
                PARETO_RACE,
                fractions == null ? DEFAULT_FRACTIONS : List.copyOf(fractions),
                confidence == null ? DEFAULT_CONFIDENCE : confidence);
    }

    @JsonIgnore
    public boolean isRace() {
        return PARETO_RACE.equals(strategy);
    }

    /** The fraction of rung {@code rung} (0-based). */
    public double fraction(int rung) {
        return fractions.get(rung);
    }

    public boolean isLastRung(int rung) {
        return rung == fractions.size() - 1;
    }

    /**
     * The number of questions in the prefix of {@code fraction} of an evaluation set of {@code total}: rounded up, at
     * least one, at most all. Worker, evaluator and scheduler all count with this, so a prefix is the same everywhere.
     */
    public static int prefixSize(double fraction, int total) {
        int size = (int) Math.ceil(fraction * total - 1e-9);
        return Math.max(1, Math.min(total, size));
    }
}
