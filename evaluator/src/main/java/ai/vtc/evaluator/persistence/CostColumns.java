package ai.vtc.evaluator.persistence;

import ai.vtc.contracts.TrialCost;
import jakarta.persistence.Embeddable;

/**
 * A trial's {@link TrialCost} as columns of its evaluation (the visual tokens are a column of their own, known for
 * every trial), so that results can be sorted and exported by any part of it. All null when the worker reported no
 * cost; the latency columns are null when it measured none.
 */
@Embeddable
public class CostColumns {
    /** Mean prompt tokens per question. */
    public Double textTokens;

    public Double gflopsVision;
    public Double gflopsEncoder;
    public Double gflopsCrossAttention;
    public Double gflopsDecoderPerToken;
    /** Everything before the first generated token: the cost axis "gflops". */
    public Double gflopsPrefill;

    /** Median prefill time of one evaluation batch: the cost axis "latency". */
    public Double prefillMs;

    public Double decodeStepMs;
    public Integer latencyBatchSize;
    public Integer latencyBatches;
    public String latencyDevice;
    public String latencyPrecision;

    /** The columns of {@code cost}, or null for none. */
    public static CostColumns of(TrialCost cost) {
        if (cost == null) {
            return null;
        }
        CostColumns c = new CostColumns();
        c.textTokens = cost.textTokens();
        TrialCost.Gflops g = cost.gflops();
        if (g != null) {
            c.gflopsVision = g.vision();
            c.gflopsEncoder = g.encoder();
            c.gflopsCrossAttention = g.crossAttention();
            c.gflopsDecoderPerToken = g.decoderPerToken();
            c.gflopsPrefill = g.prefill();
        }
        TrialCost.Latency l = cost.latency();
        if (l != null) {
            c.prefillMs = l.prefillMs();
            c.decodeStepMs = l.decodeStepMs();
            c.latencyBatchSize = l.batchSize();
            c.latencyBatches = l.batches();
            c.latencyDevice = l.device();
            c.latencyPrecision = l.precision();
        }
        return c;
    }

    /** The cost again, with the trial's {@code visualTokens}. */
    public TrialCost toCost(int visualTokens) {
        TrialCost.Gflops gflops = gflopsPrefill == null
                ? null
                : new TrialCost.Gflops(
                        orZero(gflopsVision),
                        orZero(gflopsEncoder),
                        orZero(gflopsCrossAttention),
                        orZero(gflopsDecoderPerToken),
                        gflopsPrefill);
        TrialCost.Latency latency = prefillMs == null
                ? null
                : new TrialCost.Latency(
                        prefillMs,
                        orZero(decodeStepMs),
                        latencyBatchSize == null ? 0 : latencyBatchSize,
                        latencyBatches == null ? 0 : latencyBatches,
                        latencyDevice,
                        latencyPrecision);
        return new TrialCost(visualTokens, orZero(textTokens), gflops, latency);
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
