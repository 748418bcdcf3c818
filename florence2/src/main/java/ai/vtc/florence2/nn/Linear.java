package ai.vtc.florence2.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** {@code nn.Linear}: y = x W^T + b with W stored [out, in] under {@code prefix.weight} and b under {@code prefix.bias}. */
public final class Linear {

    private final Param weight;
    private final Param bias;

    public Linear(ParameterStore store, String prefix, long in, long out, boolean hasBias, Init weightInit) {
        this.weight = store.declare(prefix + ".weight", new Shape(out, in), weightInit);
        this.bias = hasBias ? store.declare(prefix + ".bias", new Shape(out), Init.zeros()) : null;
    }

    /** [..., in] -> [..., out] */
    public NDArray forward(NDArray x) {
        NDArray b = bias == null ? null : bias.array();
        return x.getNDArrayInternal().linear(x, weight.array(), b).singletonOrThrow();
    }

    public Param weight() {
        return weight;
    }
}
