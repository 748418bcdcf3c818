package ai.vtc.florence2.train;

import ai.vtc.contracts.ModelFacts;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.io.ModelFolder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The sweep's facts about a model folder ({@link ModelFacts}, which owns the visual-token arithmetic the scheduler
 * uses before anything runs), read at the image size the model's processor really uses: its default when the folder
 * has no {@code preprocessor_config.json}, where the scheduler would know no grid. Whoever reports a trial's visual
 * tokens counts them here, so the report is the scheduler's number and not a second count.
 */
public final class ModelFolderFacts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFolderFacts() {}

    /** From {@code config.json} and the folder's image processor. */
    public static ModelFacts read(Path modelDir) {
        Florence2ImageProcessor processor = Florence2ImageProcessor.fromFolder(modelDir);
        ObjectNode preprocessor = JSON.createObjectNode();
        preprocessor.putObject("size").put("height", processor.height()).put("width", processor.width());
        Path config = modelDir.resolve(ModelFolder.CONFIG);
        try {
            return ModelFacts.fromHuggingFace(JSON.readTree(config.toFile()), preprocessor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + config, e);
        }
    }
}
