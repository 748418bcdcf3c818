package ai.vtc.florence2.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * PyTorch's autocast for this model: inside {@code try (Autocast a = Autocast.enter(Precision.BF16)) {...}} the
 * matrix products, convolutions and attention products of the current thread take their inputs in the precision's
 * type and hand float32 back, so layer norms, softmax, residual sums and the loss see float32 as they do in {@code
 * torch.autocast} (which also keeps those ops in float32). Weights stay float32 (the master copy the optimizer
 * updates); their cast is part of the autograd graph, so gradients arrive in float32 too. Outside a scope, or with
 * {@link Precision#FP32}, every call is the plain float32 operation, bit for bit what it was without this class.
 *
 * <p>This is the one place where inputs are cast: {@link Linear}, {@link Conv2d} and the attention blocks call it. A
 * scope belongs to its thread; the backward pass may run anywhere (the casts are already in the graph). The casts
 * are {@link TorchCasts}', which autograd follows (DJL's own {@code toType} it does not).
 */
public final class Autocast implements AutoCloseable {

    private static final ThreadLocal<Precision> CURRENT = ThreadLocal.withInitial(() -> Precision.FP32);

    private final Precision previous;

    private Autocast(Precision previous) {
        this.previous = previous;
    }

    /** Runs this thread's products in {@code precision} until the returned scope is closed (scopes nest). */
    public static Autocast enter(Precision precision) {
        Precision previous = CURRENT.get();
        CURRENT.set(precision);
        return new Autocast(previous);
    }

    /** The precision of this thread's products now. */
    public static Precision current() {
        return CURRENT.get();
    }

    @Override
    public void close() {
        CURRENT.set(previous);
    }

    /** x [..., in], weight [out, in], bias [out] or null -> x W^T + b [..., out] */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        Precision p = CURRENT.get();
        if (p == Precision.FP32) {
            return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
        }
        NDArray low = x.getNDArrayInternal()
                .linear(cast(x, p), cast(weight, p), bias == null ? null : cast(bias, p))
                .singletonOrThrow();
        return widen(low);
    }

    /** The batched matrix product a b, as {@link NDArray#matMul}. */
    public static NDArray matMul(NDArray a, NDArray b) {
        Precision p = CURRENT.get();
        if (p == Precision.FP32) {
            return a.matMul(b);
        }
        return widen(cast(a, p).matMul(cast(b, p)));
    }

    /** {@code torch.nn.functional.conv2d} of x [B, C, H, W] with weight and bias. */
    public static NDArray convolution(
            NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, Shape dilation, int groups) {
        Precision p = CURRENT.get();
        if (p == Precision.FP32) {
            return x.getNDArrayInternal()
                    .convolution(x, weight, bias, stride, padding, dilation, groups)
                    .singletonOrThrow();
        }
        NDArray low = x.getNDArrayInternal()
                .convolution(cast(x, p), cast(weight, p), cast(bias, p), stride, padding, dilation, groups)
                .singletonOrThrow();
        return widen(low);
    }

    /** A float32 operand in the compute type; other operands (already cast, integer) as they are. */
    private static NDArray cast(NDArray a, Precision p) {
        return a.getDataType() == DataType.FLOAT32 ? TorchCasts.to(p, a) : a;
    }

    /** A product's low-precision result back in float32. */
    private static NDArray widen(NDArray a) {
        return TorchCasts.to(Precision.FP32, a);
    }
}
