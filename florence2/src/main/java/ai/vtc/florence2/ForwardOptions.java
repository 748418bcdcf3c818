package ai.vtc.florence2;

import ai.vtc.florence2.language.EncoderStageHook;

/**
 * Options of a forward pass.
 *
 * @param honourPaddingMask false (the reference): every image and text token is attended to, padding included; true:
 *     the text attention mask is honoured in the encoder and in cross-attention (the fixtures' {@code alt_*} tensors)
 * @param encoderHook transformation of the encoder hidden states before a chosen layer, or null; visual-token
 *     compression is {@code withEncoderHook(VisualTokenCompressor.forModel(model, compression))} (the hook lives in
 *     {@code compress}, which builds on this package and not the other way round)
 */
public record ForwardOptions(boolean honourPaddingMask, EncoderStageHook encoderHook) {

    public static final ForwardOptions REFERENCE = new ForwardOptions(false, null);

    public ForwardOptions withPaddingMask(boolean honour) {
        return new ForwardOptions(honour, encoderHook);
    }

    public ForwardOptions withEncoderHook(EncoderStageHook hook) {
        return new ForwardOptions(honourPaddingMask, hook);
    }
}
