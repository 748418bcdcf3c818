package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.Florence2TextConfig;
import ai.vtc.florence2.nn.LayerNorm;
import ai.vtc.florence2.nn.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The BART encoder ({@code language_model.model.encoder}) run on given input embeddings (image tokens then text):
 * learned positions over the whole sequence, {@code layernorm_embedding}, then the layers. An {@link EncoderStageHook}
 * can replace the hidden states and mask before any layer K (K = number of layers: on the output). Letters: B batch,
 * L tokens, D model width.
 */
public final class BartEncoder {

    private final LearnedPositionalEmbedding embedPositions;
    private final LayerNorm layernormEmbedding;
    private final List<BartEncoderLayer> layers = new ArrayList<>();

    public BartEncoder(ParameterStore store, String prefix, Florence2TextConfig config) {
        this.embedPositions = new LearnedPositionalEmbedding(
                store, prefix + ".embed_positions", config.maxPositionEmbeddings(), config.dModel(), config.initStd());
        for (int i = 0; i < config.encoderLayers(); i++) {
            layers.add(new BartEncoderLayer(store, prefix + ".layers." + i, config));
        }
        this.layernormEmbedding = new LayerNorm(store, prefix + ".layernorm_embedding", config.dModel());
    }

    public int numLayers() {
        return layers.size();
    }

    /** inputs embeds [B, L, D] -> positions added and normalised [B, L, D] */
    public NDArray embed(NDArray inputsEmbeds) {
        long length = inputsEmbeds.getShape().get(1);
        return layernormEmbedding.forward(inputsEmbeds.add(embedPositions.forward(length, 0)));
    }

    /**
     * inputs embeds [B, L, D], 0/1 mask [B, L] or null -> encoder output (with the possibly changed mask). When the hook
     * names an {@link EncoderStageHook#attentionLayer() attention layer}, that layer's softmax probabilities of this pass
     * go to the hook at the next stage; no other layer's are kept.
     */
    public EncoderOutput forward(NDArray inputsEmbeds, NDArray mask, EncoderStageHook hook) {
        int attentionLayer = hook == null ? -1 : hook.attentionLayer();
        if (attentionLayer < -1 || attentionLayer >= layers.size()) {
            throw new IllegalArgumentException("the stage hook asks for the attention of encoder layer "
                    + attentionLayer + ", the encoder has layers 0.." + (layers.size() - 1));
        }
        EncoderOutput state = new EncoderOutput(embed(inputsEmbeds), mask);
        NDArray attention = null; // [B, H, L, L] of the layer just run, when the hook asked for it
        for (int k = 0; k <= layers.size(); k++) {
            if (hook != null) {
                state = hook.apply(k, state, attention);
            }
            attention = null;
            if (k < layers.size()) {
                NDArray additiveMask = AttentionMasks.padding(state.mask());
                NDArray h;
                if (k == attentionLayer) {
                    WithAttention out = layers.get(k).forwardWithAttention(state.hidden(), additiveMask);
                    h = out.value();
                    attention = out.probabilities();
                } else {
                    h = layers.get(k).forward(state.hidden(), additiveMask);
                }
                state = new EncoderOutput(h, state.mask());
            }
        }
        return state;
    }
}
