package ai.vtc.florence2.compress;

import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2VisionConfig;
import java.nio.file.Path;

/**
 * How many grid tokens DaViT makes for a model's image size (each stage's convolutional embedding shrinks the image by
 * its stride), for checking a factor before anything runs. How many a compression setting keeps is counted in one
 * place, {@code ai.vtc.contracts.ModelFacts#visualTokens} (the sweep's budget); the pooling compressor derives its
 * compressed lengths from the tensors it pools.
 */
public final class VisualTokens {

    private VisualTokens() {}

    /** The grid side along one axis for an input of {@code pixels}: floor((in + 2p - k) / s) + 1 per stage. */
    public static int gridSide(Florence2VisionConfig vision, int pixels) {
        int side = pixels;
        for (int i = 0; i < vision.dimEmbed().size(); i++) {
            side = Math.floorDiv(
                            side
                                    + 2 * vision.patchPadding().get(i)
                                    - vision.patchSize().get(i),
                            vision.patchStride().get(i))
                    + 1;
        }
        return side;
    }

    /** h*w grid tokens for images of the processor's size. */
    public static int gridTokens(Florence2Config config, Florence2ImageProcessor processor) {
        return gridSide(config.visionConfig(), processor.height()) * gridSide(config.visionConfig(), processor.width());
    }

    /** h*w grid tokens for a model folder (config.json and preprocessor_config.json). */
    public static int gridTokens(Path modelDir) {
        return gridTokens(
                Florence2Config.read(modelDir.resolve("config.json")), Florence2ImageProcessor.fromFolder(modelDir));
    }
}
