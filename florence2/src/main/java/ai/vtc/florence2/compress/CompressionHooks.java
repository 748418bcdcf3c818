package ai.vtc.florence2.compress;

import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.language.EncoderStageHook;

/**
 * The encoder hook of any compression setting, the one place that maps a {@link Compression} to what runs inside the
 * language encoder: {@link VisualTokenCompressor} for the 1D poolings (unchanged, with their fixtures),
 * {@link GridCompressionHook} with the setting's {@link GridMethod} for pool2d and the selections, and no hook for none
 * and downsample (downsample changes the image, {@link Compression#imageProcessor}). Pass it as {@code
 * ForwardOptions.withEncoderHook(...)}, with the batch's sample keys ({@code ForwardOptions.withSampleKeys}) for random.
 */
public final class CompressionHooks {

    private CompressionHooks() {}

    /**
     * The hook for {@code compression} on {@code model}, or null when nothing happens inside the encoder. The stage is
     * checked against the model now, the grid budget once the image size is known (each forward pass binds the hook).
     * For learnable_pool the model's pooling weight is created (1/f) when it has none.
     */
    public static EncoderStageHook forModel(Florence2Model model, Compression compression) {
        if (compression.mode().pools1d()) {
            return VisualTokenCompressor.forModel(model, compression);
        }
        if (!compression.mode().isGridMethod()) {
            return null;
        }
        VisualTokenCompressor.requireGridLayout(model);
        compression.validateFor(model.numEncoderLayers());
        return new GridCompressionHook(compression.gridMethod(), compression.stage());
    }
}
