package ai.vtc.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collection;
import java.util.Map;

/**
 * Gradient accumulation over micro-batches using the engine's own accumulation: DJL (PyTorch) adds every backward
 * pass into the parameters' {@code .grad} until they are zeroed, so the summed gradient is already in place after N
 * backward calls. The optimizer step then uses the mean ({@link #averagedGradients}), and {@link #reset} zeroes the
 * gradients for the next accumulation. Usage per micro-batch:
 *
 * <pre>{@code
 * try (GradientCollector c = engine.newGradientCollector()) { c.backward(loss); }
 * if (accumulator.microBatchDone()) {
 *     try (NDManager scope = manager.newSubManager()) {
 *         Map<String, NDArray> grads = accumulator.averagedGradients(params, scope);
 *         Gradients.clipByGlobalNorm(grads, 1.0);
 *         optimizer.step(params, grads);
 *     }
 *     accumulator.reset(params.values());
 * }
 * }</pre>
 *
 * Dividing the summed gradient by N equals averaging the micro-batch losses up to rounding, so results do not depend
 * on whether a run used accumulation only up to float rounding.
 */
public final class GradientAccumulator {

    private final int microBatches;
    private int accumulated;

    public GradientAccumulator(int microBatches) {
        Checks.positive("microBatches", microBatches);
        this.microBatches = microBatches;
    }

    public int microBatches() {
        return microBatches;
    }

    /** Micro-batches whose gradients are currently summed on the parameters. */
    public int accumulated() {
        return accumulated;
    }

    /** Records one backward pass; true when it completes an optimizer step. */
    public boolean microBatchDone() {
        accumulated++;
        return accumulated >= microBatches;
    }

    /**
     * The summed gradients divided by the number of micro-batches accumulated so far (so a short final accumulation
     * is averaged correctly), in place on the parameters' gradients; handles owned by {@code scope}.
     */
    public Map<String, NDArray> averagedGradients(Map<String, NDArray> parameters, NDManager scope) {
        if (accumulated == 0) {
            throw new IllegalStateException("no micro-batch has been accumulated");
        }
        Map<String, NDArray> gradients = Gradients.of(parameters, scope);
        Gradients.scale(gradients, 1.0 / accumulated);
        return gradients;
    }

    /** Zeroes the parameters' gradients and starts a new accumulation. */
    public void reset(Collection<NDArray> parameters) {
        Gradients.zero(parameters);
        accumulated = 0;
    }
}
