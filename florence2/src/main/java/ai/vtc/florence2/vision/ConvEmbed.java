package ai.vtc.florence2.vision;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.nn.Conv2d;
import ai.vtc.florence2.nn.LayerNorm;
import ai.vtc.florence2.nn.ParameterStore;

/**
 * DaViT patch embedding ({@code vision_tower.convs.i}): a strided convolution with a LayerNorm either before it (on
 * the incoming tokens, {@code patch_prenorm}) or after it. Stage 0 takes pixels [B, 3, H, W]; later stages take the
 * previous stage's tokens. Letters: B batch, C channels, H/W grid.
 */
public final class ConvEmbed {

    private final Conv2d proj;
    private final LayerNorm norm;
    private final boolean preNorm;

    public ConvEmbed(
            ParameterStore store,
            String prefix,
            long inChannels,
            long embedDim,
            int patchSize,
            int stride,
            int padding,
            boolean preNorm) {
        this.proj = new Conv2d(store, prefix + ".proj", inChannels, embedDim, patchSize, stride, padding, 1);
        this.norm = new LayerNorm(store, prefix + ".norm", preNorm ? inChannels : embedDim);
        this.preNorm = preNorm;
    }

    /** pixels [B, 3, H, W] -> tokens [B, H'*W', C] */
    public FeatureMap forwardPixels(NDArray pixels) {
        return project(pixels);
    }

    /** tokens [B, H*W, Cin] -> tokens [B, H'*W', C] */
    public FeatureMap forward(FeatureMap x) {
        FeatureMap in = preNorm ? x.with(norm.forward(x.tokens())) : x;
        return project(in.toChannelsFirst());
    }

    private FeatureMap project(NDArray channelsFirst) {
        FeatureMap out = FeatureMap.fromChannelsFirst(proj.forward(channelsFirst)); // [B, H'*W', C]
        return preNorm ? out : out.with(norm.forward(out.tokens()));
    }
}
