package ai.vtc.florence2.train;

import ai.vtc.florence2.Florence2Pipeline;
import java.nio.file.Path;
import java.util.List;

/**
 * What to train: either a model folder (the trainer loads it, and saves the trained model to {@code workDir/model})
 * or an already loaded pipeline (trained in place, left open, not saved), the examples, the options, an optional
 * checkpoint folder to resume from, a work folder ({@code workDir/checkpoints/step-<n>/}) and the name LoRA adapters
 * give as their base model ({@code base_model_name_or_path}; by default the model folder, else null), and where the
 * vision features of a run that does not change the vision tower may be shared with other runs ({@link
 * VisionFeatures#shareable}; null: computed from the pixels every time; ignored by a run that trains the vision tower).
 */
public record TrainRequest(
        Path modelDir,
        Florence2Pipeline pipeline,
        List<Example> examples,
        TrainOptions options,
        Path resumeFrom,
        Path workDir,
        String baseModelName,
        VisionFeatureStore visionFeatures) {

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
        if (baseModelName == null && modelDir != null) {
            baseModelName = modelDir.toString();
        }
    }

    /** Train the model in {@code modelDir}; the result's {@link TrainResult#modelDir()} is the trained model. */
    public static TrainRequest of(Path modelDir, List<Example> examples, TrainOptions options, Path workDir) {
        return new TrainRequest(modelDir, null, examples, options, null, workDir, null, null);
    }

    /** Train a loaded pipeline in place. */
    public static TrainRequest of(
            Florence2Pipeline pipeline, List<Example> examples, TrainOptions options, Path workDir) {
        return new TrainRequest(null, pipeline, examples, options, null, workDir, null, null);
    }

    /** The same request continuing from a checkpoint folder (null: from the start). */
    public TrainRequest resumingFrom(Path checkpointDir) {
        return new TrainRequest(
                modelDir, pipeline, examples, options, checkpointDir, workDir, baseModelName, visionFeatures);
    }

    public TrainRequest withOptions(TrainOptions newOptions) {
        return new TrainRequest(
                modelDir, pipeline, examples, newOptions, resumeFrom, workDir, baseModelName, visionFeatures);
    }

    /** The same request whose LoRA adapters name {@code name} as their base model (a model folder or model name). */
    public TrainRequest withBaseModelName(String name) {
        return new TrainRequest(modelDir, pipeline, examples, options, resumeFrom, workDir, name, visionFeatures);
    }

    /** The same request sharing vision features through {@code store} where the run allows it (null: never). */
    public TrainRequest withVisionFeatures(VisionFeatureStore store) {
        return new TrainRequest(modelDir, pipeline, examples, options, resumeFrom, workDir, baseModelName, store);
    }
}
