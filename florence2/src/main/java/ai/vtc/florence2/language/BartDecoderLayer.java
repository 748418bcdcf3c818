package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.Florence2TextConfig;
import ai.vtc.florence2.nn.LayerNorm;
import ai.vtc.florence2.nn.ParameterStore;

/**
 * One post-LN BART decoder layer ({@code language_model.model.decoder.layers.i}): causal self-attention, cross-attention
 * to the encoder output, feed-forward; each with residual then LayerNorm. With a {@link DecoderCache.LayerCache} the
 * self-attention keys/values grow by the new tokens and the cross-attention keys/values are computed once. Letters:
 * B batch, T new decoder tokens, S encoder tokens, D model width.
 */
public final class BartDecoderLayer {

    private final Florence2Attention selfAttn;
    private final LayerNorm selfAttnLayerNorm;
    private final Florence2Attention encoderAttn;
    private final LayerNorm encoderAttnLayerNorm;
    private final FeedForward ffn;
    private final LayerNorm finalLayerNorm;

    public BartDecoderLayer(ParameterStore store, String prefix, Florence2TextConfig config) {
        long d = config.dModel();
        int heads = config.decoderAttentionHeads();
        this.selfAttn = new Florence2Attention(store, prefix + ".self_attn", d, heads, config.initStd());
        this.selfAttnLayerNorm = new LayerNorm(store, prefix + ".self_attn_layer_norm", d);
        this.encoderAttn = new Florence2Attention(store, prefix + ".encoder_attn", d, heads, config.initStd());
        this.encoderAttnLayerNorm = new LayerNorm(store, prefix + ".encoder_attn_layer_norm", d);
        this.ffn = new FeedForward(
                store, prefix, d, config.decoderFfnDim(), config.activationFunction(), config.initStd());
        this.finalLayerNorm = new LayerNorm(store, prefix + ".final_layer_norm", d);
    }

    /**
     * hidden [B, T, D], encoder states [B, S, D], causal mask [1, 1, T, past+T] or null, encoder mask [B, 1, 1, S]
     * or null, cache or null -> [B, T, D]
     */
    public NDArray forward(
            NDArray hidden,
            NDArray encoderHidden,
            NDArray causalMask,
            NDArray encoderMask,
            DecoderCache.LayerCache cache) {
        KeyValue selfKv = selfAttn.keyValue(hidden);
        if (cache != null) {
            selfKv = cache.appendSelf(selfKv);
        }
        NDArray h = selfAttnLayerNorm.forward(hidden.add(selfAttn.attend(selfAttn.query(hidden), selfKv, causalMask)));

        KeyValue crossKv = cache != null ? cache.cross(() -> encoderAttn.keyValue(encoderHidden)) : null;
        if (crossKv == null) {
            crossKv = encoderAttn.keyValue(encoderHidden);
        }
        h = encoderAttnLayerNorm.forward(h.add(encoderAttn.attend(encoderAttn.query(h), crossKv, encoderMask)));
        return finalLayerNorm.forward(h.add(ffn.forward(h)));
    }
}
