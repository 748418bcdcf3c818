package ai.vtc.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The position in a {@link LearningRateSchedule}: {@link #apply(Optimizer)} before each optimizer step, {@link #advance()}
 * after it (torch's {@code optimizer.step(); scheduler.step()}). The position is checkpointed as
 * {@code schedule.position} (INT64 [1]).
 */
public final class Scheduler {

    static final String POSITION = "schedule.position";

    private final LearningRateSchedule schedule;
    private long position;

    public Scheduler(LearningRateSchedule schedule) {
        this.schedule = schedule;
    }

    /** Steps taken so far; the next step uses the learning rate at this position. */
    public long position() {
        return position;
    }

    public double currentLearningRate() {
        return schedule.learningRate(position);
    }

    /** Sets the learning rate (and, for schedules that cycle momentum, AdamW's beta1) for the coming step. */
    public void apply(Optimizer optimizer) {
        optimizer.setLearningRate(currentLearningRate());
        double beta1 = schedule.beta1(position);
        if (!Double.isNaN(beta1) && optimizer instanceof AdamW adamW) {
            adamW.setBeta1(beta1);
        }
    }

    public void advance() {
        position++;
    }

    public Map<String, NDArray> state(NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put(POSITION, StateArrays.counter(manager, position));
        return out;
    }

    /** Restores the position from {@code schedule.position}; other entries are ignored. */
    public void loadState(Map<String, NDArray> state) {
        NDArray stored = state.get(POSITION);
        if (stored == null) {
            throw new IllegalArgumentException("missing " + POSITION);
        }
        position = StateArrays.readCounter(POSITION, stored);
    }
}
