package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.vtc.florence2.Florence2TextConfig;
import ai.vtc.florence2.nn.Autocast;
import ai.vtc.florence2.nn.Init;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.ParameterStore;

/**
 * The BART-style language model ({@code language_model}): the shared token embedding (tied to both {@code
 * embed_tokens} and {@code lm_head}), encoder, decoder, and the LM head with {@code final_logits_bias}. Letters: B
 * batch, T tokens, D model width, V vocabulary.
 */
public final class Florence2LanguageModel {

    public static final String PREFIX = "language_model";
    public static final String SHARED = PREFIX + ".model.shared.weight";

    private final Param shared;
    private final Param finalLogitsBias;
    private final BartEncoder encoder;
    private final BartDecoder decoder;

    public Florence2LanguageModel(ParameterStore store, Florence2TextConfig config) {
        this.shared = store.declare(
                SHARED,
                new Shape(config.vocabSize(), config.dModel()),
                Init.normalWithZeroRow(config.initStd(), config.padTokenId()));
        this.encoder = new BartEncoder(store, PREFIX + ".model.encoder", config);
        this.decoder = new BartDecoder(store, PREFIX + ".model.decoder", config, shared);
        this.finalLogitsBias =
                store.declareBuffer(PREFIX + ".final_logits_bias", new Shape(1, config.vocabSize()), Init.zeros());
        store.tie(PREFIX + ".model.encoder.embed_tokens.weight", SHARED);
        store.tie(PREFIX + ".model.decoder.embed_tokens.weight", SHARED);
        store.tie(PREFIX + ".lm_head.weight", SHARED);
    }

    public BartEncoder encoder() {
        return encoder;
    }

    public BartDecoder decoder() {
        return decoder;
    }

    /** Text embeddings as Florence-2 computes them (the shared table, never scaled): ids [B, T] -> [B, T, D] */
    public NDArray embedText(NDArray inputIds) {
        return lookup(inputIds, shared.array());
    }

    /** decoder states [B, T, D] -> logits [B, T, V] */
    public NDArray logits(NDArray decoderHidden) {
        NDArray w = shared.array();
        return Autocast.linear(decoderHidden, w, null).add(finalLogitsBias.array());
    }

    /** Embedding lookup with the ids as first operand, so the result lives in the caller's manager. */
    static NDArray lookup(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal()
                .embedding(ids, table, SparseFormat.DENSE)
                .singletonOrThrow();
    }
}
