package ai.vtc.florence2.train;

import ai.vtc.florence2.nn.Precision;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the vision tower's output for an image is kept between runs ({@link VisionFeatures}): for a trial that does
 * not train the vision tower it depends only on the model's weights, the image, the image size and the precision, so
 * every trial of a sweep on one model can share it. An implementation is bound to one model's weights (and dataset);
 * the other parts of the identity come with each call. It must never hand back features it cannot vouch for: a
 * stored entry that fails its checks (truncated, corrupt, made from another image) is reported as absent, so the
 * caller computes and writes it again.
 */
public interface VisionFeatureStore {

    /** The stored features of {@code image} preprocessed to {@code height x width} under {@code precision}. */
    Optional<VisionFeatureFile.Features> read(Path image, int height, int width, Precision precision);

    /** Keeps {@code features} of {@code image} for later reads (replacing an entry that failed its checks). */
    void write(Path image, int height, int width, Precision precision, VisionFeatureFile.Features features);
}
