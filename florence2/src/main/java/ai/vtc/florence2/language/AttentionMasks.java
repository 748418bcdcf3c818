package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.nn.Tensors;

/**
 * Additive attention masks as Hugging Face builds them: 0 where attention is allowed, the float32 minimum where it is
 * not (not -inf, so a fully masked row stays finite).
 */
public final class AttentionMasks {

    public static final float MASKED = -Float.MAX_VALUE;

    private AttentionMasks() {}

    /** 0/1 mask [B, S] -> additive [B, 1, 1, S]; null stays null (nothing masked). */
    public static NDArray padding(NDArray mask) {
        if (mask == null) {
            return null;
        }
        long b = mask.getShape().get(0);
        long s = mask.getShape().get(1);
        NDArray keep = mask.toType(DataType.FLOAT32, false);
        return keep.eq(0).toType(DataType.FLOAT32, false).mul(MASKED).reshape(b, 1, 1, s);
    }

    /** Causal mask for T new tokens after {@code past} cached ones: [1, 1, T, past+T]; null when T == 1. */
    public static NDArray causal(NDManager manager, long tokens, long past) {
        if (tokens == 1) {
            return null;
        }
        int t = Math.toIntExact(tokens);
        int s = Math.toIntExact(past + tokens);
        float[] values = new float[t * s];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < s; j++) {
                values[i * s + j] = j > i + past ? MASKED : 0f;
            }
        }
        return Tensors.floats(manager, values, new Shape(1, 1, t, s));
    }
}
