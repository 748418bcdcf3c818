package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.nn.Autocast;
import ai.vtc.florence2.nn.Init;
import ai.vtc.florence2.nn.Linear;
import ai.vtc.florence2.nn.ParameterStore;
import ai.vtc.florence2.nn.Tensors;

/**
 * BART multi-head attention ({@code self_attn}, {@code encoder_attn}): q/k/v/out projections with bias, queries
 * scaled by 1/sqrt(d) before the product, an additive mask (0 or the float32 minimum) before the softmax. Split into
 * {@link #query}, {@link #keyValue} and {@link #attend} so that decoder layers can cache keys and values. Letters: B
 * batch, T query tokens, S key tokens, D model width, H heads, d = D/H.
 */
public final class Florence2Attention {

    private final Linear kProj;
    private final Linear vProj;
    private final Linear qProj;
    private final Linear outProj;
    private final int heads;
    private final long headDim;
    private final float scaling;

    public Florence2Attention(ParameterStore store, String prefix, long dModel, int heads, double initStd) {
        this.kProj = new Linear(store, prefix + ".k_proj", dModel, dModel, true, Init.normal(initStd));
        this.vProj = new Linear(store, prefix + ".v_proj", dModel, dModel, true, Init.normal(initStd));
        this.qProj = new Linear(store, prefix + ".q_proj", dModel, dModel, true, Init.normal(initStd));
        this.outProj = new Linear(store, prefix + ".out_proj", dModel, dModel, true, Init.normal(initStd));
        this.heads = heads;
        this.headDim = dModel / heads;
        this.scaling = (float) Math.pow((double) headDim, -0.5);
    }

    /** [B, T, D] -> scaled queries [B, H, T, d] */
    public NDArray query(NDArray hidden) {
        return splitHeads(Tensors.mul(qProj.forward(hidden), scaling));
    }

    /** [B, S, D] -> keys and values [B, H, S, d] */
    public KeyValue keyValue(NDArray source) {
        return new KeyValue(splitHeads(kProj.forward(source)), splitHeads(vProj.forward(source)));
    }

    /**
     * queries [B, H, T, d], keys/values [B, H, S, d], additive mask broadcastable to [B, H, T, S] or null -> [B, T, D]
     */
    public NDArray attend(NDArray query, KeyValue kv, NDArray additiveMask) {
        return output(probabilities(query, kv, additiveMask), kv);
    }

    /** Self-attention without cache: [B, T, D] -> [B, T, D] */
    public NDArray selfAttention(NDArray hidden, NDArray additiveMask) {
        return attend(query(hidden), keyValue(hidden), additiveMask);
    }

    /**
     * Self-attention without cache that also hands out its softmax probabilities (the very tensor the output is
     * computed from, so the output is the same as {@link #selfAttention}'s): [B, T, D] -> [B, T, D] and [B, H, T, T]
     */
    public WithAttention selfAttentionWithProbabilities(NDArray hidden, NDArray additiveMask) {
        KeyValue kv = keyValue(hidden);
        NDArray probabilities = probabilities(query(hidden), kv, additiveMask); // [B, H, T, T]
        return new WithAttention(output(probabilities, kv), probabilities);
    }

    /** queries [B, H, T, d], keys [B, H, S, d], additive mask or null -> softmax probabilities [B, H, T, S] */
    private static NDArray probabilities(NDArray query, KeyValue kv, NDArray additiveMask) {
        NDArray scores = Autocast.matMul(query, kv.key().transpose(0, 1, 3, 2)); // [B, H, T, S]
        if (additiveMask != null) {
            scores = scores.add(additiveMask);
        }
        return scores.softmax(-1);
    }

    /** probabilities [B, H, T, S], values [B, H, S, d] -> [B, T, D] */
    private NDArray output(NDArray probabilities, KeyValue kv) {
        NDArray context = Autocast.matMul(probabilities, kv.value()); // [B, H, T, d]
        long b = context.getShape().get(0);
        long t = context.getShape().get(2);
        return outProj.forward(context.transpose(0, 2, 1, 3).reshape(b, t, heads * headDim));
    }

    private NDArray splitHeads(NDArray x) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        return x.reshape(b, t, heads, headDim).transpose(0, 2, 1, 3); // [B, H, T, d]
    }
}
