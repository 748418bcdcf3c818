package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;

/**
 * {@code attn_prune} (FastV-style): keep, per sample, the r grid tokens that receive the most attention from the text
 * in the layer before the stage ({@link AttentionScores}), in their original order; ties go to the lower index.
 * Florence-2's encoder is bidirectional, so FastV's "last token" becomes the mean over the question's tokens.
 *
 * @param keep grid tokens kept (r)
 */
public record AttnPrune(int keep) implements SelectionMethod {

    public static final String ID = "attn_prune";

    public AttnPrune {
        GridSelection.checkKeep(ID, keep, Integer.MAX_VALUE);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean needsAttention() {
        return true;
    }

    @Override
    public GridCompression compress(GridInputs inputs) {
        return select(inputs.grid(), AttentionScores.of(inputs, ID), keep);
    }

    /** grid [B, n, D], scores [B][n] -> the r best-scored tokens of each sample [B, r, D] and their indices [B, r] */
    public static GridCompression select(NDArray grid, double[][] scores, int keep) {
        GridSelection.checkKeep(ID, keep, Math.toIntExact(grid.getShape().get(1)));
        int[][] kept = new int[scores.length][];
        for (int b = 0; b < scores.length; b++) {
            kept[b] = GridSelection.topAscending(scores[b], keep);
        }
        return GridSelection.keep(grid, kept);
    }
}
