package ai.vtc.florence2.vision;

import ai.vtc.florence2.nn.Conv2d;
import ai.vtc.florence2.nn.ParameterStore;

/**
 * The 3x3 depthwise convolution DaViT puts before attention and before the MLP ({@code conv1.fn.dw}, {@code
 * conv2.fn.dw}), with its residual: x + dw(x). Tokens [B, H*W, C] in and out.
 */
public final class DepthWiseConv2d {

    private final Conv2d dw;

    public DepthWiseConv2d(ParameterStore store, String prefix, long dim) {
        this.dw = new Conv2d(store, prefix + ".fn.dw", dim, dim, 3, 1, 1, (int) dim);
    }

    public FeatureMap forwardResidual(FeatureMap x) {
        FeatureMap conv = FeatureMap.fromChannelsFirst(dw.forward(x.toChannelsFirst()));
        return x.with(x.tokens().add(conv.tokens()));
    }
}
