package ai.vtc.florence2.language;

/**
 * A transformation of the encoder's hidden states right before encoder layer {@code stage} (0 .. number of layers; the
 * last value acts on the encoder output, before the decoder's cross-attention). Visual-token compression plugs in
 * here; the returned mask must match the returned sequence length.
 */
@FunctionalInterface
public interface EncoderStageHook {

    EncoderOutput apply(int stage, EncoderOutput state);

    /**
     * This hook for a forward pass whose encoder input starts with {@code imageTokens} image tokens (the model calls it
     * once per pass, before the encoder runs). Hooks that need to know where the image tokens end return a bound copy.
     */
    default EncoderStageHook bind(int imageTokens) {
        return this;
    }
}
