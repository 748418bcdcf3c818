package ai.vtc.florence2.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** {@code nn.LayerNorm} over the last dimension, eps 1e-5 (PyTorch's default, used everywhere in Florence-2). */
public final class LayerNorm {

    private static final float EPS = 1e-5f;

    private final Param weight;
    private final Param bias;
    private final Shape normalizedShape;

    public LayerNorm(ParameterStore store, String prefix, long dim) {
        this.normalizedShape = new Shape(dim);
        this.weight = store.declare(prefix + ".weight", normalizedShape, Init.ones());
        this.bias = store.declare(prefix + ".bias", normalizedShape, Init.zeros());
    }

    /** [..., D] -> [..., D] */
    public NDArray forward(NDArray x) {
        return x.getNDArrayInternal()
                .layerNorm(x, normalizedShape, weight.array(), bias.array(), EPS)
                .singletonOrThrow();
    }
}
