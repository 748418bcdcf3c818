package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;

/**
 * What a {@link GridMethod} may read. Letters: B batch, n = h*w grid tokens, D model width, H heads, S = 1 + n + T
 * sequence tokens of the encoder input [global ; grid ; text], T text tokens.
 *
 * @param grid the grid block, row-major, [B, n, D]
 * @param height grid rows h
 * @param width grid columns w
 * @param attention softmax probabilities [B, H, S, S] (query x key) of the encoder layer before the method's stage, on
 *     the uncompressed sequence; null for methods that read none
 * @param textMask the tokenizer's 0/1 mask [B, T] (1 = a real text token); null: every text position is a query
 * @param sampleKeys one stable key per sample (the question id), for {@link RandomSelection}; null when unknown
 */
public record GridInputs(NDArray grid, int height, int width, NDArray attention, NDArray textMask, long[] sampleKeys) {

    /** Inputs of methods that read only the grid. */
    public static GridInputs of(NDArray grid, int height, int width) {
        return new GridInputs(grid, height, width, null, null, null);
    }

    public int batch() {
        return Math.toIntExact(grid.getShape().get(0));
    }

    public int gridTokens() {
        return Math.toIntExact(grid.getShape().get(1));
    }
}
