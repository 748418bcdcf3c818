package ai.vtc.florence2.vision;

import ai.djl.ndarray.NDArray;

/** Image tokens in row-major order with their grid size: tokens [B, H*W, C]. */
public record FeatureMap(NDArray tokens, long height, long width) {

    public long batch() {
        return tokens.getShape().get(0);
    }

    public long channels() {
        return tokens.getShape().get(2);
    }

    /** [B, H*W, C] -> [B, C, H, W] as a strided view (channels-last in memory, as the reference's {@code view}). */
    public NDArray toChannelsFirst() {
        return tokens.transpose(0, 2, 1).reshape(batch(), channels(), height, width);
    }

    /** [B, C, H, W] -> tokens [B, H*W, C]. */
    public static FeatureMap fromChannelsFirst(NDArray x) {
        long b = x.getShape().get(0);
        long c = x.getShape().get(1);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        return new FeatureMap(x.reshape(b, c, h * w).transpose(0, 2, 1), h, w);
    }

    public FeatureMap with(NDArray newTokens) {
        return new FeatureMap(newTokens, height, width);
    }
}
