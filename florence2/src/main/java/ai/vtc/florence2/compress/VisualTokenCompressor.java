package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.language.EncoderStageHook;
import ai.vtc.florence2.nn.Param;
import java.util.List;

/**
 * Visual-token compression as an {@link EncoderStageHook}: right before encoder layer {@code stage} (or on the encoder
 * output when stage = number of layers, so the decoder - cached or not - cross-attends to the compressed sequence) the
 * grid tokens are replaced by their pooled version and the mask, if any, follows. {@code learnable_pool} reads the
 * model's {@value Florence2Model#VISUAL_POOLING_WEIGHT} on every pass, so training updates are seen at once and
 * gradients reach it.
 *
 * <p>Florence-2's image tokens are [global (spatial average) ; h*w grid (temporal average)] for {@code
 * image_feature_source = [spatial_avg_pool, temporal_avg_pool]}, the only layout compression supports.
 */
public final class VisualTokenCompressor implements EncoderStageHook {

    private static final List<String> FEATURE_LAYOUT = List.of("spatial_avg_pool", "temporal_avg_pool");

    private final Compression compression;
    private final Param weight;
    private final int encoderLayers;
    private final int gridTokens;

    private VisualTokenCompressor(Compression compression, Param weight, int encoderLayers, int gridTokens) {
        this.compression = compression;
        this.weight = weight;
        this.encoderLayers = encoderLayers;
        this.gridTokens = gridTokens;
    }

    /**
     * The hook for a 1D pooling {@code compression} (avg_pool, learnable_pool) on {@code model}, or null for none. The
     * stage is checked against the model now, the factor against the grid once the image size is known (first forward
     * pass). For learnable_pool the model's pooling weight is created (1/f) when it has none. The hook of any mode is
     * {@link CompressionHooks#forModel}'s.
     */
    public static VisualTokenCompressor forModel(Florence2Model model, Compression compression) {
        if (compression.isNone()) {
            return null;
        }
        if (!compression.mode().pools1d()) {
            throw new InvalidCompressionException("VisualTokenCompressor pools avg_pool and learnable_pool, not "
                    + compression.mode() + " (CompressionHooks.forModel makes the hook of every mode)");
        }
        requireGridLayout(model);
        compression.validateFor(model.numEncoderLayers());
        Param weight = compression.mode() == CompressionMode.LEARNABLE_POOL
                ? poolingWeight(model, compression.factor())
                : null;
        return new VisualTokenCompressor(compression, weight, model.numEncoderLayers(), -1);
    }

    /**
     * Checks that the model's image tokens are [global ; grid], the layout every compression inside the encoder
     * assumes.
     */
    static void requireGridLayout(Florence2Model model) {
        List<String> sources = model.config().visionConfig().imageFeatureSource();
        if (!FEATURE_LAYOUT.equals(sources)) {
            throw new InvalidCompressionException("compression needs vision_config.image_feature_source "
                    + FEATURE_LAYOUT + " (a global token followed by the grid), the model has " + sources);
        }
    }

    /** The model's pooling weight for {@code factor}, created (1/f) when it has none; one length per model. */
    private static Param poolingWeight(Florence2Model model, int factor) {
        long length = model.visualPoolingWeight().map(p -> p.shape().get(0)).orElse((long) factor);
        if (length != factor) {
            throw new InvalidCompressionException("factor " + factor + " does not match the model's "
                    + Florence2Model.VISUAL_POOLING_WEIGHT + " of length " + length
                    + ": learnable_pool can only use factor " + length + " with this model");
        }
        return model.visualPoolingWeight(factor);
    }

    public Compression compression() {
        return compression;
    }

    @Override
    public VisualTokenCompressor bind(int imageTokens) {
        int grid = imageTokens - 1;
        compression.validateFor(encoderLayers, grid);
        return grid == gridTokens ? this : new VisualTokenCompressor(compression, weight, encoderLayers, grid);
    }

    @Override
    public EncoderOutput apply(int stage, EncoderOutput state) {
        if (stage != compression.stage()) {
            return state;
        }
        if (gridTokens < 0) {
            throw new IllegalStateException("bind(imageTokens) was not called before the encoder ran");
        }
        NDArray hidden =
                VisualPooling.compress(state.hidden(), gridTokens, compression, weight == null ? null : weight.array());
        // the mask follows the length the pooling produced: [B, 1 + n + T] -> [B, 1 + m + T]
        long removed = state.hidden().getShape().get(1) - hidden.getShape().get(1);
        int pooled = Math.toIntExact(gridTokens - removed);
        return new EncoderOutput(
                hidden, state.mask() == null ? null : VisualPooling.compressMask(state.mask(), gridTokens, pooled));
    }
}
