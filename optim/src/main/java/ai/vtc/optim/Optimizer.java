package ai.vtc.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * An optimizer over named parameters. Parameters are updated in place; all optimizer state lives in NDArrays owned by
 * the optimizer's own manager and is exposed by name through {@link #state()} so that a checkpoint can hold it and
 * {@link #loadState(Map)} can restore it bit for bit. DJL's built-in optimizers are not used because their moment
 * buffers are private fields that cannot be saved or restored, which makes an exact resume impossible.
 */
public interface Optimizer extends AutoCloseable {

    /**
     * One update. Every parameter that has an entry in {@code gradients} is updated; a parameter without one is skipped
     * (as torch skips parameters whose {@code grad} is {@code None}) and keeps its state untouched. Iterate a map with
     * a stable order (LinkedHashMap or TreeMap) for reproducible runs.
     */
    void step(Map<String, NDArray> parameters, Map<String, NDArray> gradients);

    /**
     * One update with the gradients DJL's autograd accumulated on the parameters themselves
     * ({@code setRequiresGradient(true)}, then {@code GradientCollector.backward}). The gradients are not zeroed: call
     * {@link Gradients#zero} before the next accumulation.
     */
    default void step(Map<String, NDArray> parameters) {
        try (NDManager scope = manager().newSubManager()) {
            step(parameters, Gradients.of(parameters, scope));
        }
    }

    /** The learning rate used by the next {@link #step}; a schedule sets it before every step. */
    void setLearningRate(double learningRate);

    double learningRate();

    /**
     * The full state by name, for a checkpoint. Moment arrays are the live state (do not close or modify them); step
     * counters are INT64 arrays of one element that stay valid until the next call or {@link #close()}.
     */
    Map<String, NDArray> state();

    /**
     * Replaces the state with copies of the arrays whose names start with this optimizer's prefix ({@code adamw.} or
     * {@code soap.}); other entries are ignored so a whole checkpoint map can be passed.
     */
    void loadState(Map<String, NDArray> state);

    /** The manager that owns the optimizer state. */
    NDManager manager();

    /** Frees all state. */
    @Override
    void close();
}
