package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.Florence2TextConfig;
import ai.vtc.florence2.nn.LayerNorm;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.ParameterStore;
import ai.vtc.florence2.nn.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * The BART decoder ({@code language_model.model.decoder}): token embeddings (the shared table, scaled by sqrt(D) only
 * if {@code scale_embedding}), learned positions offset by the cache length, {@code layernorm_embedding}, then the
 * layers. Letters: B batch, T new tokens, S encoder tokens, D model width.
 */
public final class BartDecoder {

    private final Param embedTokens;
    private final LearnedPositionalEmbedding embedPositions;
    private final LayerNorm layernormEmbedding;
    private final List<BartDecoderLayer> layers = new ArrayList<>();
    private final float embedScale;

    public BartDecoder(ParameterStore store, String prefix, Florence2TextConfig config, Param sharedEmbedding) {
        this.embedTokens = sharedEmbedding;
        this.embedPositions = new LearnedPositionalEmbedding(
                store, prefix + ".embed_positions", config.maxPositionEmbeddings(), config.dModel(), config.initStd());
        for (int i = 0; i < config.decoderLayers(); i++) {
            layers.add(new BartDecoderLayer(store, prefix + ".layers." + i, config));
        }
        this.layernormEmbedding = new LayerNorm(store, prefix + ".layernorm_embedding", config.dModel());
        this.embedScale = config.scaleEmbedding() ? (float) Math.sqrt(config.dModel()) : 1f;
    }

    public int numLayers() {
        return layers.size();
    }

    /**
     * token ids [B, T], encoder states [B, S, D], encoder 0/1 mask [B, S] or null, cache or null -> [B, T, D]. With a
     * cache, the ids are the new tokens only and the cache grows by T.
     */
    public NDArray forward(NDArray inputIds, NDArray encoderHidden, NDArray encoderMask, DecoderCache cache) {
        long tokens = inputIds.getShape().get(1);
        long past = cache == null ? 0 : cache.length();
        NDArray embeds = Florence2LanguageModel.lookup(inputIds, embedTokens.array());
        if (embedScale != 1f) {
            embeds = Tensors.mul(embeds, embedScale);
        }
        NDArray h = layernormEmbedding.forward(embeds.add(embedPositions.forward(tokens, past)));
        NDArray causal = AttentionMasks.causal(inputIds.getManager(), tokens, past);
        NDArray crossMask = AttentionMasks.padding(encoderMask);
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h, encoderHidden, causal, crossMask, cache == null ? null : cache.layer(i));
        }
        if (cache != null) {
            cache.advance(tokens);
        }
        return h;
    }
}
