package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;

/**
 * What a {@link GridMethod} made of the grid block. Index arrays are int64, in the grid's manager, and constants for
 * autograd. Letters: B batch, r grid tokens kept, n grid tokens before.
 *
 * @param grid the compressed grid [B, r, D] (gradients flow to the grid tokens it was made of)
 * @param keptIndices [B, r] grid indices (row-major, 0 .. n-1) that anchor each output slot: ascending for selection
 *     methods; for dominant_merge the dominant tokens ascending, then the merge targets in target order. Null for
 *     pooling.
 * @param pickOrder divprune: [B, r] the tokens in the order they were picked; null otherwise
 * @param mergeSlot dominant_merge: [B, n] the output slot every grid token ends in (0 .. d-1 dominant, d .. r-1
 *     contextual); null otherwise
 */
public record GridCompression(NDArray grid, NDArray keptIndices, NDArray pickOrder, NDArray mergeSlot) {

    /** A compression that is not a selection (pooling): only the new grid. */
    public static GridCompression pooled(NDArray grid) {
        return new GridCompression(grid, null, null, null);
    }

    /** A selection whose output slots are the kept tokens themselves. */
    public static GridCompression selected(NDArray grid, NDArray keptIndices) {
        return new GridCompression(grid, keptIndices, null, null);
    }
}
