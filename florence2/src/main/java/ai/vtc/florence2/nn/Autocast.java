package ai.vtc.florence2.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.IdentityHashMap;
import java.util.Map;

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

    private static final Autocast NONE = new Autocast(Precision.FP32, null);
    private static final ThreadLocal<Autocast> CURRENT = ThreadLocal.withInitial(() -> NONE);

    private final Precision precision;
    private final Autocast previous;
    /** Weights and biases cast while no gradient was recorded, by identity; freed when the scope closes. */
    final Map<NDArray, NDArray> castWeights = new IdentityHashMap<>();

    private Autocast(Precision precision, Autocast previous) {
        this.precision = precision;
        this.previous = previous;
    }

    /**
     * Runs this thread's products in {@code precision} until the returned scope is closed (scopes nest). Weights must
     * not change inside a scope: while no gradients are recorded, a weight is cast once per scope and the cast reused
     * (what {@code torch.autocast}'s cast cache does; without it the casts took 40% of a bf16 forward pass of the base
     * model at batch 1, florence2/README.md).
     */
    public static Autocast enter(Precision precision) {
        Autocast scope = new Autocast(precision, CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /** The precision of this thread's products now. */
    public static Precision current() {
        return CURRENT.get().precision;
    }

    @Override
    public void close() {
        CURRENT.set(previous);
        castWeights.values().forEach(NDArray::close);
        castWeights.clear();
    }

    /** x [..., in], weight [out, in], bias [out] or null -> x W^T + b [..., out] */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        Precision p = current();
        if (p == Precision.FP32) {
            return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
        }
        NDArray low = x.getNDArrayInternal()
                .linear(cast(x, p), castWeight(weight, p), bias == null ? null : castWeight(bias, p))
                .singletonOrThrow();
        return widen(low);
    }

    /** The batched matrix product a b, as {@link NDArray#matMul}. */
    public static NDArray matMul(NDArray a, NDArray b) {
        Precision p = current();
        if (p == Precision.FP32) {
            return a.matMul(b);
        }
        return widen(cast(a, p).matMul(cast(b, p)));
    }

    /** {@code torch.nn.functional.conv2d} of x [B, C, H, W] with weight and bias. */
    public static NDArray convolution(
            NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, Shape dilation, int groups) {
        Precision p = current();
        if (p == Precision.FP32) {
            return x.getNDArrayInternal()
                    .convolution(x, weight, bias, stride, padding, dilation, groups)
                    .singletonOrThrow();
        }
        NDArray low = x.getNDArrayInternal()
                .convolution(cast(x, p), castWeight(weight, p), castWeight(bias, p), stride, padding, dilation, groups)
                .singletonOrThrow();
        return widen(low);
    }

    /**
     * A weight or bias in the compute type: cast once per scope while no gradient is recorded (the cast kept out of
     * any {@link NDScope}, freed by {@link #close()}), cast each time (in the graph) while gradients are recorded.
     */
    private static NDArray castWeight(NDArray w, Precision p) {
        Autocast scope = CURRENT.get();
        if (JniUtils.isGradMode() || w.getDataType() != DataType.FLOAT32) {
            return cast(w, p);
        }
        return scope.castWeights.computeIfAbsent(w, weight -> {
            NDArray low = TorchCasts.to(p, weight);
            NDScope.unregister(low);
            return low;
        });
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
