package ai.vtc.florence2;

/**
 * Analytic floating-point operations of one sample through Florence-2, from the config and the token counts, so that
 * trials compare what a compression setting saves independently of the machine. Rules (docs/architecture.md, "Cost"):
 *
 * <ul>
 *   <li>a multiply-add is 2 FLOPs; matrix products and convolutions are counted, normalisations, softmax, activations,
 *       residual additions and the compression's own scores, sorting and merging are not (they are measured in the
 *       latencies instead);
 *   <li>vision: each stage's patch convolution (k x k x C_in x C_out per output position), and per block pair the two
 *       3x3 depthwise convolutions of each block, window attention on the grid padded to a multiple of the window
 *       (qkv 3C^2, scores and values 2 S C per token with S = window^2 tokens per window, projection C^2, MLP 8C^2), and
 *       channel attention (qkv 3C^2, scores and values 2 C^2 / groups per token, projection C^2, MLP 8C^2); then the
 *       image projection of the 1 + h*w tokens;
 *   <li>language encoder: per layer with L tokens of width D and feed-forward F, 4 L D^2 (q, k, v, out) + 2 L^2 D
 *       (scores and values) + 2 L D F, each multiply-add doubled; layers before the compression stage see
 *       L = 1 + n + T, the others 1 + kept + T;
 *   <li>decoder: the cross-attention keys and values of the S encoder tokens once per sample (counted in the
 *       prefill), then per generated token and layer: self-attention projections 4 D^2, cross-attention query and
 *       output 2 D^2, cross-attention over S tokens 2 S D, feed-forward 2 D F (all doubled), and the output
 *       projection D x vocabulary; attention over earlier decoder tokens (a few, for VQA answers) is left out.
 * </ul>
 */
public final class Florence2Flops {

    /**
     * Giga-FLOPs of one sample.
     *
     * @param vision the vision tower and the image projection
     * @param encoder the language encoder with the compression applied at its stage
     * @param crossAttentionKeysValues the decoder's cross-attention keys and values, once per sample
     * @param decoderPerToken one generated token
     */
    public record Cost(double vision, double encoder, double crossAttentionKeysValues, double decoderPerToken) {
        /** Everything before the first generated token: vision, encoder and the cross-attention keys and values. */
        public double prefill() {
            return vision + encoder + crossAttentionKeysValues;
        }

        /** Prefill plus {@code tokens} generated tokens. */
        public double total(double tokens) {
            return prefill() + tokens * decoderPerToken;
        }
    }

    private Florence2Flops() {}

    /**
     * The cost of one sample.
     *
     * @param imageSide the square input image side in pixels (the processor's, or a downsample setting's)
     * @param textTokens prompt tokens entering the encoder after the image tokens (a mean over questions may be
     *     fractional: the cost is then that of a prompt of the mean length)
     * @param stage the compression stage (0 .. encoder layers), ignored when nothing is compressed
     * @param gridTokensKept grid tokens after compression (the grid's h*w when nothing is compressed)
     */
    public static Cost of(Florence2Config config, int imageSide, double textTokens, int stage, int gridTokensKept) {
        Florence2VisionConfig v = config.visionConfig();
        Florence2TextConfig t = config.textConfig();
        double vision = 0;
        int side = imageSide;
        int channelsIn = 3;
        for (int i = 0; i < v.numStages(); i++) {
            int k = v.patchSize().get(i);
            side = Math.floorDiv(
                            side + 2 * v.patchPadding().get(i) - k,
                            v.patchStride().get(i))
                    + 1;
            double c = v.dimEmbed().get(i);
            double tokens = (double) side * side;
            vision += 2 * tokens * k * k * channelsIn * c;
            int window = v.windowSize();
            int padded = (side + window - 1) / window * window;
            double windowTokens = (double) window * window;
            double spatial = 2 * (2 * tokens * 9 * c) // two depthwise 3x3 convolutions
                    + 2 * tokens * 3 * c * c // qkv
                    + 2 * (double) padded * padded * 2 * windowTokens * c // scores and values in padded windows
                    + 2 * tokens * c * c // projection
                    + 2 * tokens * 8 * c * c; // MLP 4x
            double channel = 2 * (2 * tokens * 9 * c)
                    + 2 * tokens * 3 * c * c
                    + 2 * tokens * 2 * c * c / v.numGroups().get(i)
                    + 2 * tokens * c * c
                    + 2 * tokens * 8 * c * c;
            vision += v.depths().get(i) * (spatial + channel);
            channelsIn = (int) c;
        }
        int gridTokens = side * side;
        vision += 2.0 * (1 + gridTokens) * v.outDim() * v.projectionDim();

        double d = t.dModel();
        int layers = t.encoderLayers();
        double before = 1 + gridTokens + textTokens;
        double after = 1 + gridTokensKept + textTokens;
        double encoder = 0;
        for (int layer = 0; layer < layers; layer++) {
            encoder += encoderLayer(layer < stage ? before : after, d, t.encoderFfnDim());
        }
        double encoderOut = after; // at any stage, the decoder cross-attends to the compressed sequence
        double crossKeysValues = t.decoderLayers() * 2.0 * encoderOut * 2 * d * d;
        double perToken = t.decoderLayers()
                        * (2 * 4 * d * d + 2 * 2 * d * d + 2 * 2 * encoderOut * d + 2 * 2 * d * t.decoderFfnDim())
                + 2 * d * config.vocabSize();
        return new Cost(vision / 1e9, encoder / 1e9, crossKeysValues / 1e9, perToken / 1e9);
    }

    private static double encoderLayer(double tokens, double d, double ffn) {
        return 2 * 4 * tokens * d * d + 2 * 2 * tokens * tokens * d + 2 * 2 * tokens * d * ffn;
    }
}
