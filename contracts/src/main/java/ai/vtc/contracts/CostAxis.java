package ai.vtc.contracts;

import java.util.Arrays;
import java.util.List;

/**
 * What a Pareto front of accuracy weighs a trial's cost by: the visual tokens the language model sees, the analytic
 * prefill GFLOPs of one sample, or the measured prefill latency of one batch. The same names select it in the
 * results' REST endpoints and CSV, on the results page and on the command line ({@code --cost}).
 */
public enum CostAxis {
    TOKENS("tokens", "visual tokens"),
    GFLOPS("gflops", "prefill GFLOPs per sample"),
    LATENCY("latency", "prefill latency per batch (ms)");

    private final String id;
    private final String description;

    CostAxis(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name in queries, CSV columns ({@code on_front_<id>}) and options. */
    public String id() {
        return id;
    }

    /** For axis labels. */
    public String description() {
        return description;
    }

    /**
     * A trial's cost on this axis, or null when it is not known (no cost reported, or no latency measured).
     *
     * @param visualTokens the trial's visual tokens, when known
     * @param cost its reported cost, or null
     */
    public Double of(Integer visualTokens, TrialCost cost) {
        return switch (this) {
            case TOKENS ->
                visualTokens != null
                        ? Double.valueOf(visualTokens)
                        : cost == null ? null : Double.valueOf(cost.visualTokens());
            case GFLOPS ->
                cost == null || cost.gflops() == null ? null : cost.gflops().prefill();
            case LATENCY ->
                cost == null || cost.latency() == null ? null : cost.latency().prefillMs();
        };
    }

    /**
     * The axis named {@code id}.
     *
     * @throws IllegalArgumentException naming the axes, for any other name
     */
    public static CostAxis byId(String id) {
        for (CostAxis axis : values()) {
            if (axis.id.equals(id)) {
                return axis;
            }
        }
        throw new IllegalArgumentException("cost must be one of " + ids() + ", not '" + id + "'");
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(CostAxis::id).toList();
    }
}
