package ai.vtc.florence2.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.nn.Init;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.ParameterStore;

/**
 * Cosine temporal embedding of video frames ({@code visual_temporal_embed}); for a single image (T = 1) it adds row 0
 * of the table (0 on even channels, 1 on odd channels) to every image token. The table is a buffer stored in
 * checkpoints; when absent it is recomputed.
 */
public final class PositionalEmbeddingCosine1D {

    private final Param posIdxToEmbed;

    public PositionalEmbeddingCosine1D(ParameterStore store, String prefix, long dim, int maxSeqLen) {
        this.posIdxToEmbed =
                store.declareBuffer(prefix + ".pos_idx_to_embed", new Shape(maxSeqLen, dim), Init.cosineTable());
    }

    /** -> [1, T, C] */
    public NDArray forward(long frames) {
        return posIdxToEmbed.array().get("0:{}", frames).expandDims(0);
    }
}
