package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The attention each grid token receives from the text (attn_prune, dominant_merge): score[b, j] = the mean over heads
 * and over text queries i of attention[b, head, i, 1 + j] (key 1 + j, since the global token comes first). Text queries
 * are the text positions whose tokenizer mask is 1, whether or not the model honours that mask; every text position
 * when no mask is given. The float32 probabilities are summed in float64 and divided by heads x queries. Computed on
 * detached values: the scores steer the selection and are constants for autograd. Letters: B batch, H heads, S = 1 + n
 * + T tokens, n grid tokens, T text tokens.
 */
public final class AttentionScores {

    private AttentionScores() {}

    /**
     * attention [B, H, S, S], 0/1 text mask [B, T] or null -> scores [B, n] (float64), in the attention's manager
     *
     * @throws IllegalArgumentException when a sample has no text query or the shapes do not fit
     */
    public static NDArray textToGrid(NDArray attention, int gridTokens, NDArray textMask) {
        long b = attention.getShape().get(0);
        long heads = attention.getShape().get(1);
        long s = attention.getShape().get(2);
        long text = s - 1 - gridTokens;
        if (attention.getShape().dimension() != 4 || attention.getShape().get(3) != s || text < 1) {
            throw new IllegalArgumentException("attention " + attention.getShape() + " does not cover 1 global + "
                    + gridTokens + " grid + at least one text token");
        }
        NDArray received = attention
                .stopGradient()
                .get(":, :, {}:, 1:{}", 1 + gridTokens, 1 + gridTokens) // [B, H, T, n]
                .toType(DataType.FLOAT64, false)
                .sum(new int[] {1}); // [B, T, n]
        if (textMask == null) {
            return received.sum(new int[] {1}).div((double) heads * text); // [B, n]
        }
        if (textMask.getShape().get(0) != b || textMask.getShape().get(1) != text) {
            throw new IllegalArgumentException(
                    "text mask " + textMask.getShape() + " does not fit " + b + " samples of " + text + " text tokens");
        }
        NDArray queries =
                textMask.toDevice(attention.getDevice(), false).neq(0).toType(DataType.FLOAT64, false); // [B, T]
        NDArray counts = queries.sum(new int[] {1}, true); // [B, 1]
        if (counts.min().getDouble() < 1) {
            throw new IllegalArgumentException("a sample has no text query (its text mask is all zeros)");
        }
        return received.mul(queries.expandDims(2)).sum(new int[] {1}).div(counts.mul((double) heads)); // [B, n]
    }

    /** scores [B, n] -> one row per sample (host values, for the selection) */
    public static double[][] rows(NDArray scores) {
        int b = Math.toIntExact(scores.getShape().get(0));
        int n = Math.toIntExact(scores.getShape().get(1));
        double[] flat = scores.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] out = new double[b][];
        for (int i = 0; i < b; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * n, (i + 1) * n);
        }
        return out;
    }
}
