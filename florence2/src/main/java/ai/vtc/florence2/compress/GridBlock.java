package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;

/**
 * The language encoder's sequence [global ; grid ; text] cut into its three blocks, so that a method can replace the
 * grid and the rest is kept as it is. Letters: B batch, n grid tokens, T text tokens (possibly 0), D model width.
 *
 * @param global [B, 1, D]
 * @param grid [B, n, D]
 * @param text [B, T, D], or null when the sequence ends with the grid
 */
public record GridBlock(NDArray global, NDArray grid, NDArray text) {

    /** hidden [B, 1 + n + T, D] -> its blocks */
    public static GridBlock split(NDArray hidden, int gridTokens) {
        long length = hidden.getShape().get(1);
        if (length < 1 + gridTokens) {
            throw new IllegalArgumentException(
                    "a sequence of " + length + " tokens cannot hold 1 global and " + gridTokens + " grid tokens");
        }
        NDArray text = length > 1 + gridTokens ? hidden.get(":, {}:, :", 1 + gridTokens) : null;
        return new GridBlock(hidden.get(":, 0:1, :"), hidden.get(":, 1:{}, :", 1 + gridTokens), text);
    }

    /** The sequence with the grid replaced: [B, 1 + r + T, D] for a new grid [B, r, D]. */
    public NDArray join(NDArray newGrid) {
        NDArray out = global.concat(newGrid, 1);
        return text == null ? out : out.concat(text, 1);
    }
}
