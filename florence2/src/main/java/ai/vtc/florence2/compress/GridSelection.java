package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.nn.Tensors;
import java.util.Arrays;

/**
 * What the selection methods share: ranking scores with ties to the lower index, the budget check, and the per-sample
 * gather of kept tokens. The selection itself is made on the host from detached values, so it is a constant for
 * autograd; the gather is differentiable in the grid (libtorch's {@code gather}, whose backward scatters the gradient
 * back to the kept tokens). Letters: B batch, n grid tokens, r kept, D model width.
 */
public final class GridSelection {

    private GridSelection() {}

    /**
     * Checks a selection budget against the grid: 1 <= keep <= n (keep = n keeps everything, the identity; the sweep's
     * validation refuses it, the library does not).
     */
    public static int checkKeep(String method, int keep, int gridTokens) {
        if (keep < 1 || keep > gridTokens) {
            throw new InvalidCompressionException(method + " keep must be in 1.." + gridTokens + " (the image has "
                    + gridTokens + " grid tokens), got " + keep);
        }
        return keep;
    }

    /** Token indices by decreasing score, equal scores by increasing index. */
    public static int[] rankDescending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byScore = Double.compare(scores[b], scores[a]);
            return byScore != 0 ? byScore : Integer.compare(a, b);
        });
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /** The {@code count} highest-scoring token indices (ties: the lower index), in ascending index order. */
    public static int[] topAscending(double[] scores, int count) {
        int[] top = Arrays.copyOf(rankDescending(scores), count);
        Arrays.sort(top);
        return top;
    }

    /** Per-sample index rows [B][r] as an int64 array [B, r] in the manager and on the device of {@code like}. */
    public static NDArray indices(NDArray like, int[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        long[] flat = new long[rows.length * cols];
        for (int b = 0; b < rows.length; b++) {
            for (int j = 0; j < cols; j++) {
                flat[b * cols + j] = rows[b][j];
            }
        }
        NDArray out = Tensors.longs(like.getManager(), flat, new Shape(rows.length, cols));
        return out.getDevice().equals(like.getDevice()) ? out : out.toDevice(like.getDevice(), false);
    }

    /** grid [B, n, D], kept indices [B, r] (int64) -> the kept tokens of each sample [B, r, D], in index order given */
    public static NDArray gather(NDArray grid, NDArray kept) {
        Shape shape = grid.getShape();
        Shape out = new Shape(shape.get(0), kept.getShape().get(1), shape.get(2));
        return grid.gather(kept.expandDims(2).broadcast(out), 1); // [B, r, D]
    }

    /** Selected rows [B][r] -> the kept tokens and their indices. */
    static GridCompression keep(NDArray grid, int[][] kept) {
        NDArray indices = indices(grid, kept); // [B, r]
        return GridCompression.selected(gather(grid, indices), indices);
    }
}
