package ai.vtc.florence2;

import ai.vtc.florence2.language.EncoderStageHook;

/**
 * Options of a forward pass.
 *
 * @param honourPaddingMask false (the reference): every image and text token is attended to, padding included; true:
 *     the text attention mask is honoured in the encoder and in cross-attention (the fixtures' {@code alt_*} tensors)
 * @param encoderHook transformation of the encoder hidden states before a chosen layer, or null; visual-token
 *     compression is {@code withEncoderHook(CompressionHooks.forModel(model, compression))} (the hook lives in {@code
 *     compress}, which builds on this package and not the other way round)
 * @param sampleKeys one stable key per sample of the batch (its question id), handed to the encoder hook with the
 *     tokenizer's attention mask; the random selection draws each sample's tokens from its key, so the same question
 *     keeps the same tokens in any batch, run or resumed run. Null when the caller has none (hooks that need keys
 *     say so)
 */
public record ForwardOptions(boolean honourPaddingMask, EncoderStageHook encoderHook, long[] sampleKeys) {

    public static final ForwardOptions REFERENCE = new ForwardOptions(false, null, null);

    public ForwardOptions {
        sampleKeys = sampleKeys == null ? null : sampleKeys.clone();
    }

    /** Options without sample keys. */
    public ForwardOptions(boolean honourPaddingMask, EncoderStageHook encoderHook) {
        this(honourPaddingMask, encoderHook, null);
    }

    @Override
    public long[] sampleKeys() {
        return sampleKeys == null ? null : sampleKeys.clone();
    }

    public ForwardOptions withPaddingMask(boolean honour) {
        return new ForwardOptions(honour, encoderHook, sampleKeys);
    }

    public ForwardOptions withEncoderHook(EncoderStageHook hook) {
        return new ForwardOptions(honourPaddingMask, hook, sampleKeys);
    }

    /** These options for a batch whose samples have these keys (one per sample, e.g. the question ids), or null. */
    public ForwardOptions withSampleKeys(long[] keys) {
        return new ForwardOptions(honourPaddingMask, encoderHook, keys);
    }
}
