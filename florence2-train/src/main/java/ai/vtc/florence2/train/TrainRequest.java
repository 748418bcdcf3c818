package ai.vtc.florence2.train;

import ai.vtc.florence2.Florence2Pipeline;
import java.nio.file.Path;
import java.util.List;

/**
 * What to train: either a model folder (the trainer loads it, and saves the trained model to {@code workDir/model})
 * or an already loaded pipeline (trained in place, left open, not saved), the examples, the options, an optional
 * checkpoint folder to resume from, and a work folder ({@code workDir/checkpoints/step-<n>/}).
 */
public record TrainRequest(
        Path modelDir,
        Florence2Pipeline pipeline,
        List<Example> examples,
        TrainOptions options,
        Path resumeFrom,
        Path workDir) {

    public TrainRequest {
        if ((modelDir == null) == (pipeline == null)) {
            throw new IllegalArgumentException("give either a model folder or a loaded pipeline");
        }
        if (examples == null || examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        examples = List.copyOf(examples);
        if (options == null || workDir == null) {
            throw new IllegalArgumentException("options and workDir are required");
        }
    }

    /** Train the model in {@code modelDir}; the result's {@link TrainResult#modelDir()} is the trained model. */
    public static TrainRequest of(Path modelDir, List<Example> examples, TrainOptions options, Path workDir) {
        return new TrainRequest(modelDir, null, examples, options, null, workDir);
    }

    /** Train a loaded pipeline in place. */
    public static TrainRequest of(
            Florence2Pipeline pipeline, List<Example> examples, TrainOptions options, Path workDir) {
        return new TrainRequest(null, pipeline, examples, options, null, workDir);
    }

    /** The same request continuing from a checkpoint folder (null: from the start). */
    public TrainRequest resumingFrom(Path checkpointDir) {
        return new TrainRequest(modelDir, pipeline, examples, options, checkpointDir, workDir);
    }

    public TrainRequest withOptions(TrainOptions newOptions) {
        return new TrainRequest(modelDir, pipeline, examples, newOptions, resumeFrom, workDir);
    }
}
