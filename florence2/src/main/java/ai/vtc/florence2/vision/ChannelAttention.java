package ai.vtc.florence2.vision;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.nn.Autocast;
import ai.vtc.florence2.nn.Init;
import ai.vtc.florence2.nn.Linear;
import ai.vtc.florence2.nn.ParameterStore;
import ai.vtc.florence2.nn.Tensors;

/**
 * DaViT channel ("group") attention ({@code channel_attn.fn}): channels attend to channels within each of G groups,
 * with queries scaled by 1/sqrt(N) (the number of tokens). Letters: B batch, N tokens, C channels, G groups, c = C/G.
 */
public final class ChannelAttention {

    private final Linear qkv;
    private final Linear proj;
    private final int groups;

    public ChannelAttention(ParameterStore store, String prefix, long dim, int groups) {
        this.qkv = new Linear(store, prefix + ".qkv", dim, dim * 3, true, Init.truncatedNormal(0.02));
        this.proj = new Linear(store, prefix + ".proj", dim, dim, true, Init.truncatedNormal(0.02));
        this.groups = groups;
    }

    /** normalised tokens [B, N, C] -> [B, N, C] */
    public NDArray forward(NDArray x) {
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        long c = x.getShape().get(2);
        NDArray qkvGroups = qkv.forward(x).reshape(b, n, 3, groups, c / groups).transpose(2, 0, 3, 1, 4); // [3,B,G,N,c]
        NDArray q = Tensors.mul(qkvGroups.get(0), (float) Math.pow((double) n, -0.5));
        NDArray k = qkvGroups.get(1);
        NDArray v = qkvGroups.get(2);
        NDArray attention = Autocast.matMul(q.transpose(0, 1, 3, 2), k).softmax(-1); // [B, G, c, c]
        NDArray out = Autocast.matMul(attention, v.transpose(0, 1, 3, 2)); // [B, G, c, N]
        out = out.transpose(0, 3, 1, 2).reshape(b, n, c); // [B, N, G, c] -> [B, N, C]
        return proj.forward(out);
    }
}
