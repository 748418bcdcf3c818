package ai.vtc.florence2.vision;

import ai.vtc.florence2.nn.LayerNorm;
import ai.vtc.florence2.nn.ParameterStore;

/**
 * DaViT spatial block ({@code blocks.i.j.spatial_block}): depthwise conv + residual, pre-norm window attention +
 * residual, depthwise conv + residual, pre-norm MLP + residual. Drop-path is the identity at inference.
 */
public final class SpatialBlock {

    private final DepthWiseConv2d conv1;
    private final LayerNorm attnNorm;
    private final WindowAttention windowAttn;
    private final DepthWiseConv2d conv2;
    private final LayerNorm ffnNorm;
    private final Mlp ffn;

    public SpatialBlock(ParameterStore store, String prefix, long dim, int numHeads, int windowSize) {
        this.conv1 = new DepthWiseConv2d(store, prefix + ".conv1", dim);
        this.attnNorm = new LayerNorm(store, prefix + ".window_attn.norm", dim);
        this.windowAttn = new WindowAttention(store, prefix + ".window_attn.fn", dim, numHeads, windowSize);
        this.conv2 = new DepthWiseConv2d(store, prefix + ".conv2", dim);
        this.ffnNorm = new LayerNorm(store, prefix + ".ffn.norm", dim);
        this.ffn = new Mlp(store, prefix + ".ffn.fn.net", dim, dim * 4);
    }

    /** tokens [B, H*W, C] -> [B, H*W, C] */
    public FeatureMap forward(FeatureMap x) {
        x = conv1.forwardResidual(x);
        x = x.with(x.tokens().add(windowAttn.forward(attnNorm.forward(x.tokens()), x.height(), x.width())));
        x = conv2.forwardResidual(x);
        return x.with(x.tokens().add(ffn.forward(ffnNorm.forward(x.tokens()))));
    }
}
