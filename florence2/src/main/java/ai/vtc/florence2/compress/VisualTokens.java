package ai.vtc.florence2.compress;

import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2VisionConfig;
import java.nio.file.Path;

/**
 * How many visual tokens the language model sees: DaViT's grid (each stage's convolutional embedding shrinks the image
 * by its stride) plus the global token, before and after compression.
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

    /** Visual tokens kept: 1 global + the (pooled) grid. */
    public static int kept(Florence2Config config, Florence2ImageProcessor processor, Compression compression) {
        return compression.visualTokensKept(gridTokens(config, processor));
    }

    /** Visual tokens kept for a model folder (config.json and preprocessor_config.json). */
    public static int kept(Path modelDir, Compression compression) {
        return kept(
                Florence2Config.read(modelDir.resolve("config.json")),
                Florence2ImageProcessor.fromFolder(modelDir),
                compression);
    }
}
