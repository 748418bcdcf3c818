package ai.vtc.florence2.lora;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.nn.LinearAdapter;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Tensors;
import java.util.function.BooleanSupplier;

/**
 * The adapter of one linear layer: s B A dropout(x), PEFT's {@code lora.Linear} without the base product (the wrapped
 * {@code Linear} adds its own). Dropout draws from libtorch's generator, which the trainer seeds per step, so a
 * resumed run drops the same entries; outside training the input passes unchanged. Letters: in/out the layer's sides,
 * r the rank.
 */
final class LoraLinear implements LinearAdapter {

    private final Param a; // [r, in]
    private final Param b; // [out, r]
    private final float scaling;
    private final float dropout;
    private final BooleanSupplier training;

    LoraLinear(Param a, Param b, float scaling, float dropout, BooleanSupplier training) {
        this.a = a;
        this.b = b;
        this.scaling = scaling;
        this.dropout = dropout;
        this.training = training;
    }

    @Override
    public NDArray delta(NDArray x) {
        NDArray in = dropout > 0 && training.getAsBoolean()
                ? x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow()
                : x; // [..., in]
        NDArray down = in.getNDArrayInternal().linear(in, a.array(), null).singletonOrThrow(); // [..., r]
        NDArray up = down.getNDArrayInternal().linear(down, b.array(), null).singletonOrThrow(); // [..., out]
        return Tensors.mul(up, scaling);
    }

    Param a() {
        return a;
    }

    Param b() {
        return b;
    }

    float scaling() {
        return scaling;
    }
}
