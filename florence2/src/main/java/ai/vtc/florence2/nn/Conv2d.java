package ai.vtc.florence2.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** {@code nn.Conv2d} with square kernel, stride and padding; weight [out, in/groups, k, k], bias [out]. */
public final class Conv2d {

    private final Param weight;
    private final Param bias;
    private final Shape stride;
    private final Shape padding;
    private final Shape dilation = new Shape(1, 1);
    private final int groups;

    public Conv2d(
            ParameterStore store, String prefix, long in, long out, int kernel, int stride, int padding, int groups) {
        this.weight = store.declare(prefix + ".weight", new Shape(out, in / groups, kernel, kernel), Init.normal(0.02));
        this.bias = store.declare(prefix + ".bias", new Shape(out), Init.zeros());
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
        this.groups = groups;
    }

    /** [B, in, H, W] -> [B, out, H', W'] */
    public NDArray forward(NDArray x) {
        return Autocast.convolution(x, weight.array(), bias.array(), stride, padding, dilation, groups);
    }
}
