package ai.vtc.florence2.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * {@code nn.Linear}: y = x W^T + b with W stored [out, in] under {@code prefix.weight} and b under {@code prefix.bias}.
 *
 * <p>Few rows, large weight: libtorch's MKL shares such a product badly between threads. On 2 threads [89, 768] x
 * [768, 3072] ran at 45-47 GFLOP/s where one thread alone reached 32-34. There the weight is cut into {@code 3 x
 * threads} column blocks (views, no copy) multiplied as one batched product, which MKL hands out to the threads block
 * by block: 55-65 GFLOP/s at 89 rows; a [768, 3072] weight alone at 1-8 rows ran twice as fast. Gradients and checkpoints are unchanged; the output is
 * copied once into row order. Arrays on a GPU always get one product. {@code
 * -Dai.vtc.florence2.splitSmallProducts=false} turns it off (florence2/README.md,
 * "Visual-token compression on the base model").
 */
public final class Linear {

    /** Up to this many rows (tokens x batch) a product is split; at 305 and more rows splitting was slower. */
    static final long SPLIT_MAX_ROWS = 256;
    /** Below this many rows only large weights are split: [1, 768] x [768, 768] ran at 9 GFLOP/s split, 15 not. */
    static final long SMALL_WEIGHT_MIN_ROWS = 32;
    /** Weights of at least this many elements (768 x 2304 and larger) gained at every row count up to 256. */
    static final long LARGE_WEIGHT = 1_000_000;

    static final boolean SPLIT_ENABLED =
            Boolean.parseBoolean(System.getProperty("ai.vtc.florence2.splitSmallProducts", "true"));

    private final Param weight;
    private final Param bias;
    private final long in;
    private final long out;
    private LinearAdapter adapter;

    public Linear(ParameterStore store, String prefix, long in, long out, boolean hasBias, Init weightInit) {
        this.weight = store.declare(prefix + ".weight", new Shape(out, in), weightInit);
        this.bias = hasBias ? store.declare(prefix + ".bias", new Shape(out), Init.zeros()) : null;
        this.in = in;
        this.out = out;
        store.registerLinear(prefix, this);
    }

    /** [..., in] -> [..., out], plus the attached adapter's term when there is one. */
    public NDArray forward(NDArray x) {
        NDArray y = baseForward(x);
        return adapter == null ? y : y.add(adapter.delta(x));
    }

    private NDArray baseForward(NDArray x) {
        long rows = x.getShape().size() / in;
        if (!SPLIT_ENABLED || rows > SPLIT_MAX_ROWS || x.getDevice().isGpu()) {
            return forward(x, 1); // most calls (the vision tower's) end here, without asking libtorch anything more
        }
        return forward(x, blocks(rows, in, out, JniUtils.getNumThreads())); // the measurements are MKL's on CPU
    }

    /**
     * Adds {@code adapter}'s term to every later forward pass (LoRA wraps the layer this way, leaving its weight and
     * its product untouched); null removes it.
     */
    public void attach(LinearAdapter adapter) {
        this.adapter = adapter;
    }

    public LinearAdapter adapter() {
        return adapter;
    }

    public long in() {
        return in;
    }

    public long out() {
        return out;
    }

    /** [..., in] -> [..., out], the weight cut into {@code blocks} column blocks (1: one product). */
    NDArray forward(NDArray x, int blocks) {
        NDArray b = bias == null ? null : bias.array();
        if (blocks == 1) {
            return x.getNDArrayInternal().linear(x, weight.array(), b).singletonOrThrow();
        }
        Shape shape = x.getShape();
        long rows = shape.size() / in;
        NDArray w = weight.array().reshape(blocks, out / blocks, in).transpose(0, 2, 1); // [blocks, in, out/blocks]
        NDArray y = x.reshape(rows, in)
                .matMul(w) // [blocks, rows, out/blocks]
                .transpose(1, 0, 2)
                .reshape(shape.slice(0, shape.dimension() - 1).add(out)); // [..., out]
        return b == null ? y : y.add(b);
    }

    /** How many column blocks a product of {@code rows} x [in, out] on {@code threads} threads is cut into. */
    static int blocks(long rows, long in, long out, int threads) {
        if (threads < 2 || rows > SPLIT_MAX_ROWS || (rows < SMALL_WEIGHT_MIN_ROWS && in * out < LARGE_WEIGHT)) {
            return 1;
        }
        for (int perThread = 3; perThread >= 1; perThread--) {
            if (out % ((long) perThread * threads) == 0) {
                return perThread * threads;
            }
        }
        return 1;
    }

    public Param weight() {
        return weight;
    }
}
