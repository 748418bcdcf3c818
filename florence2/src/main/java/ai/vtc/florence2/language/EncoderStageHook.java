package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;

/**
 * A transformation of the encoder's hidden states right before encoder layer {@code stage} (0 .. number of layers; the
 * last value acts on the encoder output, before the decoder's cross-attention). Visual-token compression plugs in
 * here; the returned mask must match the returned sequence length.
 *
 * <p>A hook that scores tokens by attention names one layer in {@link #attentionLayer()}: the encoder then keeps that
 * layer's softmax probabilities from its real forward pass and hands them to {@link #apply(int, EncoderOutput,
 * NDArray)} at the next stage. Other hooks cost nothing extra.
 */
@FunctionalInterface
public interface EncoderStageHook {

    EncoderOutput apply(int stage, EncoderOutput state);

    /**
     * Like {@link #apply(int, EncoderOutput)}, with the self-attention probabilities [B, H, L, L] (query x key) of
     * encoder layer {@link #attentionLayer()} when {@code stage} is the stage right after that layer, null otherwise.
     * The encoder always calls this method; hooks that need no attention keep the default.
     */
    default EncoderOutput apply(int stage, EncoderOutput state, NDArray attention) {
        return apply(stage, state);
    }

    /**
     * The encoder layer (0-based) whose self-attention probabilities this hook needs, or -1 (the default) for none. Only
     * that one layer's probabilities are kept, and only for hooks that ask.
     */
    default int attentionLayer() {
        return -1;
    }

    /**
     * This hook for a forward pass whose encoder input starts with {@code imageTokens} image tokens (the model calls it
     * once per pass, before the encoder runs). Hooks that need to know where the image tokens end return a bound copy.
     */
    default EncoderStageHook bind(int imageTokens) {
        return this;
    }

    /**
     * This hook for one forward pass, knowing also the text mask and the samples' keys where the caller has them. The
     * default ignores them ({@link #bind(int)}); hooks that select tokens per sample override it.
     */
    default EncoderStageHook bind(EncoderPass pass) {
        return bind(pass.imageTokens());
    }

    /**
     * This hook with the tokenizer's text mask [B, T] and the per-sample keys of the next batch attached: when the model
     * binds the returned hook with only the image-token count, this hook is bound with an {@link EncoderPass} carrying
     * both. Callers that know the batch (trainer, predictor) wrap their hook this way per batch.
     *
     * @param textMask 0/1 mask [B, T] (1 = a real text token), or null for all text positions
     * @param sampleKeys one key per sample (e.g. the question id), or null when the hook needs none
     */
    default EncoderStageHook withBatch(NDArray textMask, long[] sampleKeys) {
        return new BatchBoundHook(this, textMask, sampleKeys);
    }
}
