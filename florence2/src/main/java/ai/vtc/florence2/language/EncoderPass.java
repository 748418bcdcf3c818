package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;

/**
 * What an {@link EncoderStageHook} learns about one forward pass before the encoder runs. The encoder input is [image
 * tokens ; text tokens]; letters: B batch, T text tokens.
 *
 * @param imageTokens image tokens at the start of the encoder input (1 global + the grid)
 * @param textMask the tokenizer's 0/1 attention mask [B, T] (1 = a real text token), whether or not the model honours
 *     it in attention; null when unknown (every text position counts as real)
 * @param sampleKeys one stable key per sample of the batch (e.g. the question id), null when unknown
 */
public record EncoderPass(int imageTokens, NDArray textMask, long[] sampleKeys) {

    /** A pass of which only the image-token count is known. */
    public static EncoderPass of(int imageTokens) {
        return new EncoderPass(imageTokens, null, null);
    }
}
