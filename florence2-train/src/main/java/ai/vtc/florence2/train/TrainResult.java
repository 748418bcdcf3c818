package ai.vtc.florence2.train;

import java.nio.file.Path;

/**
 * How a training run ended.
 *
 * @param status finished, or stopped on request (after writing a checkpoint at {@code steps})
 * @param steps optimizer steps done in total (including those before a resume)
 * @param totalSteps steps the run was planned for
 * @param finalLoss loss of the last optimizer step (NaN when no step ran)
 * @param losses loss of every optimizer step from the first, resumed runs included (from the checkpoint)
 * @param lastCheckpoint the newest checkpoint folder written, or null
 * @param modelDir the trained model folder when training started from a folder and finished, else null
 * @param seconds wall time of this call
 */
public record TrainResult(
        Status status,
        long steps,
        long totalSteps,
        double finalLoss,
        double[] losses,
        Path lastCheckpoint,
        Path modelDir,
        double seconds) {

    public enum Status {
        FINISHED,
        STOPPED
    }

    public boolean finished() {
        return status == Status.FINISHED;
    }
}
