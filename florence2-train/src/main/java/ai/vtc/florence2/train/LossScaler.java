package ai.vtc.florence2.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.vtc.florence2.nn.Precision;
import java.util.Collection;

/**
 * Dynamic loss scaling for fp16 training, as PyTorch's {@code GradScaler}: float16 gradients below 2^-24 vanish, so the
 * loss is multiplied by a large scale before the backward pass and the gradients divided by it before the optimizer
 * step. When a gradient overflows (inf or NaN) the step is skipped and the scale halved; after {@value
 * #GROWTH_INTERVAL} good steps in a row it doubles again. bf16 has float32's exponent range and fp32 needs none, so
 * for them the scaler is off (scale 1, nothing checked here). Its state goes into each checkpoint ({@code loss_scale},
 * {@code good_steps}, {@code skipped_steps} of state.json), so a resumed run scales as an uninterrupted one.
 */
final class LossScaler {

    /** GradScaler's defaults. */
    static final double INITIAL_SCALE = 65536;

    static final double GROWTH_FACTOR = 2;
    static final double BACKOFF_FACTOR = 0.5;
    static final long GROWTH_INTERVAL = 2000;

    private final boolean enabled;
    private double scale;
    private long goodSteps;
    private long skippedSteps;

    private LossScaler(boolean enabled, double scale, long goodSteps, long skippedSteps) {
        this.enabled = enabled;
        this.scale = scale;
        this.goodSteps = goodSteps;
        this.skippedSteps = skippedSteps;
    }

    /** A fresh scaler: on for fp16 only. */
    static LossScaler forPrecision(Precision precision) {
        return new LossScaler(precision == Precision.FP16, precision == Precision.FP16 ? INITIAL_SCALE : 1, 0, 0);
    }

    /**
     * The scaler of a resumed run: the checkpoint's state when it was written by an fp16 run (scale > 1), else a fresh
     * one, so a checkpoint of any precision resumes in any other.
     */
    static LossScaler resumed(Precision precision, TrainingCheckpoint.State state) {
        LossScaler fresh = forPrecision(precision);
        if (!fresh.enabled || state.lossScale() <= 1) {
            return new LossScaler(fresh.enabled, fresh.scale, 0, state.skippedSteps());
        }
        return new LossScaler(true, state.lossScale(), state.goodSteps(), state.skippedSteps());
    }

    boolean enabled() {
        return enabled;
    }

    double scale() {
        return scale;
    }

    long goodSteps() {
        return goodSteps;
    }

    /** Optimizer steps skipped for overflow since the run (with its resumed parts) began. */
    long skippedSteps() {
        return skippedSteps;
    }

    /** The loss to call backward on: scalar loss x scale. */
    NDArray scaled(NDArray loss) {
        return enabled ? loss.mul((float) scale) : loss;
    }

    /**
     * Divides the summed gradients by the scale in place and tells whether the step may be taken: false (step skipped,
     * scale lowered) when any gradient is inf or NaN. Always true when the scaler is off.
     */
    boolean unscaleAndUpdate(Collection<NDArray> gradients) {
        if (!enabled) {
            return true;
        }
        NDList sums = new NDList();
        for (NDArray g : gradients) {
            g.divi((float) scale);
            sums.add(g.sum());
        }
        boolean finite =
                sums.isEmpty() || Float.isFinite(NDArrays.stack(sums).sum().getFloat());
        if (finite) {
            goodSteps++;
            if (goodSteps >= GROWTH_INTERVAL) {
                scale *= GROWTH_FACTOR;
                goodSteps = 0;
            }
        } else {
            scale *= BACKOFF_FACTOR;
            goodSteps = 0;
            skippedSteps++;
        }
        return finite;
    }
}
