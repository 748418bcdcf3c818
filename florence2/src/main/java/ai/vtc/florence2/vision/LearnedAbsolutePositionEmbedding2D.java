package ai.vtc.florence2.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.nn.Init;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.ParameterStore;

/**
 * Learned 2D position embedding of the last-stage grid ({@code image_pos_embed}): channels [0, C - C/2) hold the
 * column embedding, [C - C/2, C) the row embedding. Letters: h/w grid, C channels.
 */
public final class LearnedAbsolutePositionEmbedding2D {

    private final Param rowEmbeddings;
    private final Param columnEmbeddings;
    private final long maxPositions;

    public LearnedAbsolutePositionEmbedding2D(ParameterStore store, String prefix, long dim, int numPos) {
        this.rowEmbeddings =
                store.declare(prefix + ".row_embeddings.weight", new Shape(numPos, dim / 2), Init.normal(0.02));
        this.columnEmbeddings = store.declare(
                prefix + ".column_embeddings.weight", new Shape(numPos, dim - dim / 2), Init.normal(0.02));
        this.maxPositions = numPos;
    }

    /** -> [1, h, w, C] (broadcast over the batch) */
    public NDArray forward(long height, long width) {
        if (height > maxPositions || width > maxPositions) {
            throw new IllegalArgumentException("the image grid " + height + "x" + width
                    + " exceeds image_pos_embed.max_pos_embeddings=" + maxPositions);
        }
        NDArray x = columnEmbeddings.array().get("0:{}", width); // [w, C - C/2]
        NDArray y = rowEmbeddings.array().get("0:{}", height); // [h, C/2]
        long cx = x.getShape().get(1);
        long cy = y.getShape().get(1);
        NDArray xGrid = x.expandDims(0).broadcast(new Shape(height, width, cx));
        NDArray yGrid = y.expandDims(1).broadcast(new Shape(height, width, cy));
        return xGrid.concat(yGrid, -1).expandDims(0); // [1, h, w, C]
    }
}
