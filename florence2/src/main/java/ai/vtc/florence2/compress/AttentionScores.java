package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

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

    /** The scores of a method's inputs, one row [n] per sample; {@code method} names the method in the error. */
    static double[][] of(GridInputs inputs, String method) {
        if (inputs.attention() == null) {
            throw new IllegalStateException(method + " needs the attention of the encoder layer before its stage");
        }
        return rows(textToGrid(inputs.attention(), inputs.gridTokens(), inputs.textMask()));
    }

    /**
     * attention [B, H, S, S], 0/1 text mask [B, T] or null -> scores [B, n] (float64), in the attention's manager
     *
     * @throws IllegalArgumentException when a sample has no text query or the shapes do not fit
     */
    public static NDArray textToGrid(NDArray attention, int gridTokens, NDArray textMask) {
        Shape shape = attention.getShape();
        long s = shape.dimension() == 4 ? shape.get(2) : -1;
        long text = s - 1 - gridTokens;
        if (s < 0 || shape.get(3) != s || text < 1) {
            throw new IllegalArgumentException("attention " + shape + " is not [B, H, S, S] over 1 global + "
                    + gridTokens + " grid + at least one text token");
        }
        long b = shape.get(0);
        long heads = shape.get(1);
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
            out[i] = Arrays.copyOfRange(flat, i * n, (i + 1) * n);
        }
        return out;
    }
}
