package ai.vtc.florence2;

import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.VisualTokenCompressor;
import ai.vtc.florence2.language.EncoderStageHook;

/**
 * Options of a forward pass.
 *
 * @param honourPaddingMask false (the reference): every image and text token is attended to, padding included; true:
 *     the text attention mask is honoured in the encoder and in cross-attention (the fixtures' {@code alt_*} tensors)
 * @param encoderHook transformation of the encoder hidden states before a chosen layer (visual-token compression), or
 *     null
 */
public record ForwardOptions(boolean honourPaddingMask, EncoderStageHook encoderHook) {

    public static final ForwardOptions REFERENCE = new ForwardOptions(false, null);

    public ForwardOptions withPaddingMask(boolean honour) {
        return new ForwardOptions(honour, encoderHook);
    }

    public ForwardOptions withEncoderHook(EncoderStageHook hook) {
        return new ForwardOptions(honourPaddingMask, hook);
    }

    /** These options with visual-token compression on {@code model} (none removes any hook). */
    public ForwardOptions withCompression(Florence2Model model, Compression compression) {
        return withEncoderHook(VisualTokenCompressor.forModel(model, compression));
    }
}
