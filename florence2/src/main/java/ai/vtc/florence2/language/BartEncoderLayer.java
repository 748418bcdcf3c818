package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.Florence2TextConfig;
import ai.vtc.florence2.nn.LayerNorm;
import ai.vtc.florence2.nn.ParameterStore;

/**
 * One post-LN BART encoder layer ({@code language_model.model.encoder.layers.i}): self-attention + residual, then
 * LayerNorm; feed-forward + residual, then LayerNorm. [B, L, D] in and out.
 */
public final class BartEncoderLayer {

    private final Florence2Attention selfAttn;
    private final LayerNorm selfAttnLayerNorm;
    private final FeedForward ffn;
    private final LayerNorm finalLayerNorm;

    public BartEncoderLayer(ParameterStore store, String prefix, Florence2TextConfig config) {
        long d = config.dModel();
        this.selfAttn = new Florence2Attention(
                store, prefix + ".self_attn", d, config.encoderAttentionHeads(), config.initStd());
        this.selfAttnLayerNorm = new LayerNorm(store, prefix + ".self_attn_layer_norm", d);
        this.ffn = new FeedForward(
                store, prefix, d, config.encoderFfnDim(), config.activationFunction(), config.initStd());
        this.finalLayerNorm = new LayerNorm(store, prefix + ".final_layer_norm", d);
    }

    /** hidden [B, L, D], additive mask [B, 1, 1, L] or null -> [B, L, D] */
    public NDArray forward(NDArray hidden, NDArray additiveMask) {
        return feedForward(selfAttnLayerNorm.forward(hidden.add(selfAttn.selfAttention(hidden, additiveMask))));
    }

    /**
     * Like {@link #forward}, also handing out the self-attention's softmax probabilities [B, H, L, L] of this pass (for
     * a compression method that scores tokens by the attention they receive): hidden [B, L, D] -> [B, L, D]
     */
    public WithAttention forwardWithAttention(NDArray hidden, NDArray additiveMask) {
        WithAttention attended = selfAttn.selfAttentionWithProbabilities(hidden, additiveMask);
        NDArray h = selfAttnLayerNorm.forward(hidden.add(attended.value()));
        return new WithAttention(feedForward(h), attended.probabilities());
    }

    private NDArray feedForward(NDArray h) {
        return finalLayerNorm.forward(h.add(ffn.forward(h)));
    }
}
