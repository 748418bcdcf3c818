package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;

/**
 * A hook with the text mask and sample keys of one batch attached ({@link EncoderStageHook#withBatch}): binding it
 * binds the wrapped hook with an {@link EncoderPass} that carries them (values the model passes itself win).
 */
final class BatchBoundHook implements EncoderStageHook {

    private final EncoderStageHook inner;
    private final NDArray textMask;
    private final long[] sampleKeys;

    BatchBoundHook(EncoderStageHook inner, NDArray textMask, long[] sampleKeys) {
        this.inner = inner;
        this.textMask = textMask;
        this.sampleKeys = sampleKeys == null ? null : sampleKeys.clone();
    }

    @Override
    public EncoderOutput apply(int stage, EncoderOutput state) {
        return inner.apply(stage, state);
    }

    @Override
    public EncoderOutput apply(int stage, EncoderOutput state, NDArray attention) {
        return inner.apply(stage, state, attention);
    }

    @Override
    public int attentionLayer() {
        return inner.attentionLayer();
    }

    @Override
    public EncoderStageHook bind(int imageTokens) {
        return bind(EncoderPass.of(imageTokens));
    }

    @Override
    public EncoderStageHook bind(EncoderPass pass) {
        return inner.bind(new EncoderPass(
                pass.imageTokens(),
                pass.textMask() != null ? pass.textMask() : textMask,
                pass.sampleKeys() != null ? pass.sampleKeys() : sampleKeys));
    }
}
