package ai.vtc.florence2.vision;

import ai.vtc.florence2.nn.LayerNorm;
import ai.vtc.florence2.nn.ParameterStore;

/**
 * DaViT channel block ({@code blocks.i.j.channel_block}): depthwise conv + residual, pre-norm channel attention +
 * residual, depthwise conv + residual, pre-norm MLP + residual.
 */
public final class ChannelBlock {

    private final DepthWiseConv2d conv1;
    private final LayerNorm attnNorm;
    private final ChannelAttention channelAttn;
    private final DepthWiseConv2d conv2;
    private final LayerNorm ffnNorm;
    private final Mlp ffn;

    public ChannelBlock(ParameterStore store, String prefix, long dim, int groups) {
        this.conv1 = new DepthWiseConv2d(store, prefix + ".conv1", dim);
        this.attnNorm = new LayerNorm(store, prefix + ".channel_attn.norm", dim);
        this.channelAttn = new ChannelAttention(store, prefix + ".channel_attn.fn", dim, groups);
        this.conv2 = new DepthWiseConv2d(store, prefix + ".conv2", dim);
        this.ffnNorm = new LayerNorm(store, prefix + ".ffn.norm", dim);
        this.ffn = new Mlp(store, prefix + ".ffn.fn.net", dim, dim * 4);
    }

    /** tokens [B, H*W, C] -> [B, H*W, C] */
    public FeatureMap forward(FeatureMap x) {
        x = conv1.forwardResidual(x);
        x = x.with(x.tokens().add(channelAttn.forward(attnNorm.forward(x.tokens()))));
        x = conv2.forwardResidual(x);
        return x.with(x.tokens().add(ffn.forward(ffnNorm.forward(x.tokens()))));
    }
}
