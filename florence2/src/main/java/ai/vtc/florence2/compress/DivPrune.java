package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * {@code divprune} (diversity, max-min selection) on the grid hidden states x entering the stage, per sample, with
 * d(i, j) = 1 - cos(x_i, x_j) in float32. First pick: the token whose smallest distance to any other grid token is
 * largest; then, until r are picked, the unpicked token whose smallest distance to the picked ones is largest. Ties go
 * to the lower index. The kept tokens come out in their original order.
 *
 * @param keep grid tokens kept (r)
 */
public record DivPrune(int keep) implements SelectionMethod {

    public static final String ID = "divprune";

    public DivPrune {
        GridSelection.checkKeep(ID, keep, Integer.MAX_VALUE);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public GridCompression compress(GridInputs inputs) {
        return select(inputs.grid(), keep);
    }

    /** grid [B, n, D] -> the r picked tokens of each sample [B, r, D], their indices [B, r] and the pick order [B, r] */
    public static GridCompression select(NDArray grid, int keep) {
        int n = Math.toIntExact(grid.getShape().get(1));
        GridSelection.checkKeep(ID, keep, n);
        float[][] cosines = CosineSimilarity.matrices(grid);
        int[][] picked = new int[cosines.length][];
        int[][] kept = new int[cosines.length][];
        for (int b = 0; b < cosines.length; b++) {
            picked[b] = pickOrder(cosines[b], n, keep);
            kept[b] = picked[b].clone();
            Arrays.sort(kept[b]);
        }
        GridCompression selected = GridSelection.keep(grid, kept);
        return new GridCompression(selected.grid(), selected.keptIndices(), GridSelection.indices(grid, picked), null);
    }

    /** One sample's row-major cosine matrix [n * n] -> the r tokens in the order max-min picks them. */
    static int[] pickOrder(float[] cosine, int n, int keep) {
        int first = 0;
        float firstSpread = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float nearest = Float.POSITIVE_INFINITY; // smallest distance to any other token
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    nearest = Math.min(nearest, 1f - cosine[i * n + j]);
                }
            }
            if (nearest > firstSpread) {
                firstSpread = nearest;
                first = i;
            }
        }
        int[] order = new int[keep];
        boolean[] taken = new boolean[n];
        float[] toPicked = new float[n]; // smallest distance of each token to the picked ones
        order[0] = first;
        taken[first] = true;
        for (int j = 0; j < n; j++) {
            toPicked[j] = 1f - cosine[first * n + j];
        }
        for (int p = 1; p < keep; p++) {
            int best = -1;
            for (int j = 0; j < n; j++) {
                if (!taken[j] && (best < 0 || toPicked[j] > toPicked[best])) {
                    best = j;
                }
            }
            order[p] = best;
            taken[best] = true;
            for (int j = 0; j < n; j++) {
                toPicked[j] = Math.min(toPicked[j], 1f - cosine[best * n + j]);
            }
        }
        return order;
    }
}
