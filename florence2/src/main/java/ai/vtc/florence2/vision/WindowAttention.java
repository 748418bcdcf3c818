package ai.vtc.florence2.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.nn.Autocast;
import ai.vtc.florence2.nn.Init;
import ai.vtc.florence2.nn.Linear;
import ai.vtc.florence2.nn.ParameterStore;
import ai.vtc.florence2.nn.Tensors;

/**
 * Multi-head self-attention inside non-overlapping windows ({@code window_attn.fn}). The grid is zero-padded on the
 * right and bottom to a multiple of the window size and the padding is not masked, as in the reference. Letters: B
 * batch, H/W grid, C channels, S = window_size^2 tokens per window, nH/nW windows per column/row, B' = B*nH*nW, h
 * heads, d = C/h.
 *
 * <p>{@link #forward} applies the (per-token) qkv and output projections to the whole padded grid and moves only the
 * projected tensors in and out of window order: one copy each way instead of partitioning, splitting heads, merging
 * heads and reversing separately. Padded tokens are projected like the reference's zero tokens (to the bias).
 * {@link #forwardReference} keeps the reference's order of operations for tests.
 */
public final class WindowAttention {

    private final Linear qkv;
    private final Linear proj;
    private final int windowSize;
    private final int numHeads;
    private final float scale;

    public WindowAttention(ParameterStore store, String prefix, long dim, int numHeads, int windowSize) {
        this.qkv = new Linear(store, prefix + ".qkv", dim, dim * 3, true, Init.truncatedNormal(0.02));
        this.proj = new Linear(store, prefix + ".proj", dim, dim, true, Init.truncatedNormal(0.02));
        this.windowSize = windowSize;
        this.numHeads = numHeads;
        this.scale = (float) Math.pow((double) (dim / numHeads), -0.5);
    }

    /** normalised tokens [B, H*W, C] -> [B, H*W, C] */
    public NDArray forward(NDArray x, long height, long width) {
        long padRight = (windowSize - width % windowSize) % windowSize;
        long padBottom = (windowSize - height % windowSize) % windowSize;
        if (padRight == 0 && padBottom == 0) {
            return forwardAligned(x, height, width);
        }
        long b = x.getShape().get(0);
        long c = x.getShape().get(2);
        NDArray padded = x.reshape(b, height, width, c).pad(new Shape(0, 0, 0, padRight, 0, padBottom), 0);
        long hp = height + padBottom;
        long wp = width + padRight;
        NDArray out = forwardAligned(padded.reshape(b, hp * wp, c), hp, wp).reshape(b, hp, wp, c);
        return out.get(new NDIndex(":, :{}, :{}, :", height, width)).reshape(b, height * width, c);
    }

    /** tokens [B, H*W, C] with H and W multiples of the window size -> [B, H*W, C] */
    private NDArray forwardAligned(NDArray x, long height, long width) {
        long b = x.getShape().get(0);
        long c = x.getShape().get(2);
        long ws = windowSize;
        long nh = height / ws;
        long nw = width / ws;
        long d = c / numHeads;
        NDArray windows = qkv.forward(x) // [B, H*W, 3C]
                .reshape(b, nh, ws, nw, ws, 3, numHeads, d)
                .transpose(5, 0, 1, 3, 6, 2, 4, 7) // [3, B, nH, nW, h, ws, ws, d]
                .reshape(3, b * nh * nw, numHeads, ws * ws, d); // [3, B', h, S, d]
        NDArray out = attend(windows); // [B', h, S, d]
        out = out.reshape(b, nh, nw, numHeads, ws, ws, d)
                .transpose(0, 1, 4, 2, 5, 3, 6) // [B, nH, ws, nW, ws, h, d]
                .reshape(b, height * width, c);
        return proj.forward(out);
    }

    /** q/k/v [3, B', h, S, d] -> softmax(q k^T / sqrt(d)) v [B', h, S, d] */
    private NDArray attend(NDArray qkvHeads) {
        NDArray q = Tensors.mul(qkvHeads.get(0), scale);
        NDArray k = qkvHeads.get(1);
        NDArray v = qkvHeads.get(2);
        NDArray attn = Autocast.matMul(q, k.transpose(0, 1, 3, 2)).softmax(-1); // [B', h, S, S]
        return Autocast.matMul(attn, v);
    }

    /** The reference's order: pad, partition, project, attend, project, reverse, crop. */
    public NDArray forwardReference(NDArray x, long height, long width) {
        Shape shape = x.getShape();
        long b = shape.get(0);
        long c = shape.get(2);
        int ws = windowSize;
        long padRight = (ws - width % ws) % ws;
        long padBottom = (ws - height % ws) % ws;
        NDArray grid = x.reshape(b, height, width, c); // [B, H, W, C]
        if (padRight > 0 || padBottom > 0) {
            // F.pad order: last dim first -> (C: 0, 0), (W: 0, padRight), (H: 0, padBottom)
            grid = grid.pad(new Shape(0, 0, 0, padRight, 0, padBottom), 0);
        }
        long hp = height + padBottom;
        long wp = width + padRight;
        NDArray windows = grid.reshape(b, hp / ws, ws, wp / ws, ws, c)
                .transpose(0, 1, 3, 2, 4, 5)
                .reshape(-1, (long) ws * ws, c); // [B', S, C]
        long bw = windows.getShape().get(0);
        long s = (long) ws * ws;
        NDArray qkvHeads = qkv.forward(windows)
                .reshape(bw, s, 3, numHeads, c / numHeads)
                .transpose(2, 0, 3, 1, 4); // [3, B', h, S, d]
        NDArray out = attend(qkvHeads).transpose(0, 2, 1, 3).reshape(bw, s, c); // [B', S, C]
        out = proj.forward(out);
        NDArray merged = out.reshape(b, hp / ws, wp / ws, ws, ws, c)
                .transpose(0, 1, 3, 2, 4, 5)
                .reshape(b, hp, wp, c); // [B, Hp, Wp, C]
        if (padRight > 0 || padBottom > 0) {
            merged = merged.get(new NDIndex(":, :{}, :{}, :", height, width));
        }
        return merged.reshape(b, height * width, c);
    }
}
