package ai.vtc.florence2.train;

import java.nio.file.Path;
import java.util.List;

/** What the {@link Trainer} reports while it runs; every method is called on the training thread. */
public interface TrainingListener {

    /** A listener that ignores everything and never asks to stop. */
    TrainingListener NONE = new TrainingListener() {};

    /**
     * Progress, about every {@link TrainOptions#progressIntervalSeconds()} seconds and once after the last step.
     *
     * @param step optimizer steps done
     * @param loss mean loss of the last optimizer step
     * @param samplesPerSecond training examples per second since this run (or resume) began
     */
    default void progress(long step, long totalSteps, double loss, double samplesPerSecond) {}

    /**
     * Progress with the learning rate of the last optimizer step; the trainer calls this one, which by default forwards
     * to {@link #progress(long, long, double, double)}.
     */
    default void progress(long step, long totalSteps, double loss, double samplesPerSecond, double learningRate) {
        progress(step, totalSteps, loss, samplesPerSecond);
    }

    /**
     * A complete checkpoint folder was written locally ({@code model.safetensors}, {@code optimizer.safetensors},
     * {@code state.json}). The trainer keeps the newest {@link TrainOptions#keepCheckpoints()} folders and deletes older
     * ones after this call returns, so upload or copy it here.
     */
    default void checkpoint(long step, Path dir) {}

    /**
     * The answers to the fixed examples at {@code step} ({@link TrainOptions#sampleEveryNSteps()}); {@code all} holds
     * every sample of the run so far, earlier runs before a resume included.
     */
    default void samples(long step, List<TrainingSample> now, List<TrainingSample> all) {}

    /**
     * Checked once per optimizer step; when true the trainer writes a checkpoint at the current step and returns a
     * {@link TrainResult.Status#STOPPED} result.
     */
    default boolean stopRequested() {
        return false;
    }
}
