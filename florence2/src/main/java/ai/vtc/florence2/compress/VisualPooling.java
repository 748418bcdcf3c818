package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The arithmetic of visual-token compression on an encoder sequence {@code [global ; grid (n tokens) ; text]}. Results
 * are allocated in the manager of the hidden states (the weight only enters as a second operand). Letters: B batch, L
 * tokens, n grid tokens, m pooled grid tokens, f factor, T text tokens, D model width.
 */
public final class VisualPooling {

    private VisualPooling() {}

    /** hidden [B, 1 + n + T, D] -> [B, 1 + m + T, D] */
    public static NDArray compress(NDArray hidden, int gridTokens, Compression compression, NDArray weight) {
        if (compression.isNone()) {
            return hidden;
        }
        int n = gridTokens;
        NDArray global = hidden.get(":, 0:1, :"); // [B, 1, D]
        NDArray grid = hidden.get(":, 1:" + (1 + n) + ", :"); // [B, n, D]
        NDArray pooled = poolGrid(grid, compression, weight); // [B, m, D]
        NDArray out = global.concat(pooled, 1);
        if (hidden.getShape().get(1) > 1 + n) {
            out = out.concat(hidden.get(":, " + (1 + n) + ":, :"), 1); // text [B, T, D]
        }
        return out;
    }

    /** grid [B, n, D] -> pooled [B, m, D] (sorted per channel first when asked) */
    public static NDArray poolGrid(NDArray grid, Compression compression, NDArray weight) {
        long b = grid.getShape().get(0);
        long n = grid.getShape().get(1);
        long d = grid.getShape().get(2);
        int f = compression.factor();
        NDArray x = compression.sorted() ? grid.sort(1) : grid; // ascending along the token axis, per channel
        return switch (compression.mode()) {
            case NONE -> grid;
            case POOL2D, ATTN_PRUNE, DIVPRUNE, DOMINANT_MERGE, RANDOM, DOWNSAMPLE ->
                throw new IllegalArgumentException(
                        "VisualPooling pools along the token axis (avg_pool, learnable_pool), not "
                                + compression.mode());
            case AVG_POOL -> {
                long m = n / f;
                NDArray kept = m * f == n ? x : x.get(":, 0:" + (m * f) + ", :"); // avg_pool1d drops the tail
                yield kept.reshape(b, m, f, d).mean(new int[] {2});
            }
            case LEARNABLE_POOL -> {
                if (weight == null || weight.getShape().size() != f) {
                    throw new IllegalArgumentException("learnable_pool with factor " + f + " needs a weight of shape ["
                            + f + "], got " + (weight == null ? "none" : weight.getShape()));
                }
                long m = (n + f - 1) / f;
                NDArray padded = x;
                if (m * f > n) {
                    NDArray zeros = x.getManager().zeros(new Shape(b, m * f - n, d), x.getDataType(), x.getDevice());
                    padded = x.concat(zeros, 1); // zero rows at the end
                }
                // [B, m, f, D] -> [B, m, D, f] @ w [f] -> [B, m, D]
                yield padded.reshape(b, m, f, d).transpose(0, 1, 3, 2).matMul(weight);
            }
        };
    }

    /** 0/1 mask [B, 1 + n + T] -> [B, 1 + m + T]: the pooled grid tokens are always attended to. */
    public static NDArray compressMask(NDArray mask, int gridTokens, int pooledTokens) {
        long b = mask.getShape().get(0);
        NDArray out = mask.get(":, 0:1")
                .concat(mask.getManager().ones(new Shape(b, pooledTokens), mask.getDataType(), mask.getDevice()), 1);
        if (mask.getShape().get(1) > 1 + gridTokens) {
            out = out.concat(mask.get(":, " + (1 + gridTokens) + ":"), 1);
        }
        return out;
    }
}
