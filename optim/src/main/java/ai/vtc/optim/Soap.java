package ai.vtc.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * SOAP (Vyas et al. 2024, arXiv 2409.11321): Adam run in the eigenbasis of Shampoo's preconditioner. For every side k
 * of a parameter (its mode-k unfolding G_k) the optimizer keeps GG_k, an EMA of G_k G_k^T (for a matrix: GG_L of
 * G G^T and GG_R of G^T G), and an orthogonal basis Q_k of its eigenvectors. Each step follows the reference
 * implementation (github.com/nikhilvyas/SOAP, {@code soap.py}) in its order:
 *
 * <ol>
 *   <li>First call for a parameter: GG_k = (1 - shampoo_beta) G_k G_k^T, Q_k = eigenvectors of GG_k by descending
 *       eigenvalue, and nothing else: the parameter is <b>not</b> updated, there is no weight decay and the step
 *       count stays 0, so that the current gradient never enters its own projection. (The reference does exactly
 *       this with a {@code continue}; a training loop sees its first step leave SOAP parameters unchanged.)
 *   <li>Later calls: G' = Q_L^T G Q_R (each side rotated, identity where there is no preconditioner); t += 1;
 *       m = beta1 m + (1 - beta1) G'; v = beta2 v + (1 - beta2) G'^2; u = Q_L (m / (sqrt(v) + eps)) Q_R^T;
 *       optionally u /= rms(u); p -= lr sqrt(1 - beta2^t) / (1 - beta1^t) u; then, if decayed, p -= lr wd p.
 *   <li>Then GG_k is updated with the current gradient, and when t is a multiple of {@code precondition_frequency}
 *       Q_k is refreshed by one power iteration plus QR: the columns of Q_k are sorted by the estimated eigenvalue
 *       diag(Q_k^T GG_k Q_k) (descending), v is permuted along side k in the same way, and Q_k = qr(GG_k Q_k).Q. The
 *       first moment is kept in the rotated space and carried over to the new basis (project back with the old basis,
 *       project with the new one).
 * </ol>
 *
 * <p>Sides longer than {@code max_precond_dim}, 1-D parameters (unless {@code precondition_1d}) and 0-D parameters
 * use the identity, i.e. plain Adam on that side. Deviations from the reference, all exact in real arithmetic: the
 * reference moves the first moment back to the original space and into the (unchanged) basis again on every step,
 * this implementation only when the basis changes; eigen-decomposition and QR run on the host in double precision
 * (DJL has neither), the reference in float32 with LAPACK; the weight decay formula and which parameters it applies
 * to follow {@link SoapConfig#decayRule()} (the reference decays its whole parameter group).
 *
 * <p>Cost: besides two small matrix products per side and step on the engine, the host runs one eigen-decomposition
 * per side at the first step and one QR per side every {@code precondition_frequency} steps, O(d^3) in double
 * precision (measured on 2 busy cores: d = 256 about 0.1-0.3 s for QR, d = 768 about 2 s for QR and 4 s for the
 * eigen-decomposition). For sides in the thousands lower {@code max_precond_dim} so that they use the identity.
 *
 * <p>State keys per parameter: {@code soap.step.<param>} (INT64 [1]; absent means "not initialised"),
 * {@code soap.exp_avg.<param>} and {@code soap.exp_avg_sq.<param>} (shape of the parameter, in the rotated space),
 * and for each preconditioned side k: {@code soap.gg.<k>.<param>} and {@code soap.q.<k>.<param>} ([d_k, d_k]).
 */
public final class Soap implements Optimizer {

    static final String PREFIX = "soap.";
    private static final String STEP = PREFIX + "step.";
    private static final String EXP_AVG = PREFIX + "exp_avg.";
    private static final String EXP_AVG_SQ = PREFIX + "exp_avg_sq.";
    private static final String GG = PREFIX + "gg.";
    private static final String Q = PREFIX + "q.";

    private final NDManager manager;
    private final SoapConfig config;
    private final Map<String, SoapState> states = new LinkedHashMap<>();
    private NDManager exported;
    private double learningRate;

    /** Per-parameter state; sides without a preconditioner have {@code gg[k] == null} and {@code q[k] == null}. */
    private static final class SoapState {
        long step;
        NDArray expAvg;
        NDArray expAvgSq;
        final long[] shape; // the preconditioned shape (merged dimensions when merge_dims)
        final boolean[] preconditioned;
        final NDArray[] gg;
        final NDArray[] q;

        SoapState(long[] shape, boolean[] preconditioned) {
            this.shape = shape;
            this.preconditioned = preconditioned;
            this.gg = new NDArray[shape.length];
            this.q = new NDArray[shape.length];
        }

        boolean identity() {
            for (boolean side : preconditioned) {
                if (side) {
                    return false;
                }
            }
            return true;
        }

        void close() {
            for (NDArray array : new NDArray[] {expAvg, expAvgSq}) {
                if (array != null) {
                    array.close();
                }
            }
            for (int k = 0; k < shape.length; k++) {
                if (gg[k] != null) {
                    gg[k].close();
                }
                if (q[k] != null) {
                    q[k].close();
                }
            }
        }
    }

    /** The optimizer's state lives in a sub-manager of {@code parent}, freed by {@link #close()}. */
    public Soap(NDManager parent, SoapConfig config) {
        this.manager = parent.newSubManager();
        this.config = config;
        this.learningRate = config.learningRate();
    }

    public SoapConfig config() {
        return config;
    }

    @Override
    public void step(Map<String, NDArray> parameters, Map<String, NDArray> gradients) {
        try (Scratch scratch = new Scratch(manager)) {
            for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                NDArray gradient = gradients.get(entry.getKey());
                if (gradient != null) {
                    update(entry.getKey(), entry.getValue(), gradient, scratch);
                }
            }
        }
    }

    private void update(String name, NDArray param, NDArray grad, Scratch scratch) {
        if (!param.getShape().equals(grad.getShape())) {
            throw new IllegalArgumentException(
                    "gradient of " + name + " has shape " + grad.getShape() + ", parameter " + param.getShape());
        }
        SoapState state = states.get(name);
        if (state == null) {
            state = initialise(param);
            states.put(name, state);
            accumulateStatistics(state, grad, scratch);
            for (int k = 0; k < state.shape.length; k++) {
                if (state.preconditioned[k]) {
                    state.q[k] = ownedFrom(eigenbasis(state.gg[k]), state.gg[k].getShape(), scratch);
                }
            }
            return; // the reference's first step: preconditioner only, parameter untouched
        }
        checkState(name, state, param);

        double beta1 = config.beta1();
        double beta2 = config.beta2();
        NDArray projected = rotate(grad, state, false, scratch);
        state.step++;
        state.expAvg.muli((float) beta1).addi(scratch.tmp(projected.mul((float) (1 - beta1))));
        state.expAvgSq.muli((float) beta2).addi(scratch.tmp(projected.square()).muli((float) (1 - beta2)));
        NDArray denom = scratch.tmp(state.expAvgSq.sqrt()).addi((float) config.eps());

        double stepSize = learningRate;
        if (config.correctBias()) {
            double biasCorrection1 = 1 - Math.pow(beta1, state.step);
            double biasCorrection2 = 1 - Math.pow(beta2, state.step);
            stepSize = stepSize * Math.sqrt(biasCorrection2) / biasCorrection1;
        }
        NDArray ratio = scratch.tmp(state.expAvg.div(denom));
        NDArray direction = rotate(ratio, state, true, scratch); // a scratch array: safe to modify
        if (config.normalizeGrads()) {
            NDArray rms = scratch.tmp(
                    scratch.tmp(scratch.tmp(direction.square()).mean()).sqrt());
            direction.divi(rms.addi(1e-30f));
        }
        param.addi(direction.muli((float) -stepSize));
        if (config.weightDecay() > 0 && config.decayRule().decays(name, param.getShape())) {
            param.addi(scratch.tmp(param.mul((float) (-learningRate * config.weightDecay()))));
        }

        accumulateStatistics(state, grad, scratch);
        if (state.step % config.preconditionFrequency() == 0 && !state.identity()) {
            refreshBases(state, scratch);
        }
    }

    private SoapState initialise(NDArray param) {
        if (param.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("SOAP supports float32 parameters, got " + param.getDataType());
        }
        Shape shape = param.getShape();
        SoapState state = emptyState(shape);
        state.expAvg = manager.zeros(shape, DataType.FLOAT32, param.getDevice());
        state.expAvgSq = manager.zeros(shape, DataType.FLOAT32, param.getDevice());
        for (int k = 0; k < state.shape.length; k++) {
            if (state.preconditioned[k]) {
                long side = state.shape[k];
                state.gg[k] = manager.zeros(new Shape(side, side), DataType.FLOAT32, param.getDevice());
            }
        }
        return state;
    }

    /** Which sides get a preconditioner: as the reference, 1-D only with precondition_1d, and none over the limit. */
    private SoapState emptyState(Shape paramShape) {
        long[] shape = preconditionedShape(paramShape);
        boolean[] preconditioned = new boolean[shape.length];
        boolean allowed = paramShape.dimension() != 1 || config.precondition1d();
        for (int k = 0; k < shape.length; k++) {
            preconditioned[k] = allowed && shape[k] <= config.maxPrecondDim();
        }
        return new SoapState(shape, preconditioned);
    }

    /** The shape the preconditioner sees: the parameter's, or with merged dimensions as the reference merges them. */
    long[] preconditionedShape(Shape shape) {
        long[] dims = shape.getShape();
        if (!config.mergeDims() || dims.length <= 1) {
            return dims;
        }
        List<Long> merged = new ArrayList<>();
        long current = 1;
        for (long side : dims) {
            long product = current * side;
            if (product > config.maxPrecondDim()) {
                if (current > 1) {
                    merged.add(current);
                    current = side;
                } else {
                    merged.add(side);
                    current = 1;
                }
            } else {
                current = product;
            }
        }
        if (current > 1 || merged.isEmpty()) {
            merged.add(current);
        }
        return merged.stream().mapToLong(Long::longValue).toArray();
    }

    /** GG_k += (1 - shampoo_beta) (G_k G_k^T - GG_k) for every preconditioned side k (torch's lerp_). */
    private void accumulateStatistics(SoapState state, NDArray grad, Scratch scratch) {
        double weight = 1 - config.effectiveShampooBeta();
        NDArray g = scratch.tmp(grad.reshape(new Shape(state.shape)));
        int dims = state.shape.length;
        for (int k = 0; k < dims; k++) {
            if (!state.preconditioned[k]) {
                continue;
            }
            int[] axes = new int[dims];
            axes[0] = k;
            for (int i = 0, j = 1; i < dims; i++) {
                if (i != k) {
                    axes[j++] = i;
                }
            }
            long side = state.shape[k];
            NDArray unfolded = scratch.tmp(scratch.tmp(g.transpose(axes)).reshape(side, g.size() / side)); // [d, R]
            NDArray outer = scratch.tmp(unfolded.matMul(scratch.tmp(unfolded.transpose()))); // [d, d]
            Ops.lerpInPlace(state.gg[k], outer, weight, scratch);
        }
    }

    /**
     * Rotates {@code x} (shape of the parameter) into the eigenbasis ({@code back == false}: contract dimension 0 with
     * Q's rows, as the reference's {@code tensordot(x, Q, [[0], [0]])}) or back ({@code back == true}:
     * {@code tensordot(x, Q, [[0], [1]])}), one side at a time; each contraction moves the side to the end, so after
     * all sides the original order is restored. Returns {@code x} itself when every side is the identity, otherwise a
     * scratch array.
     */
    private NDArray rotate(NDArray x, SoapState state, boolean back, Scratch scratch) {
        if (state.identity()) {
            return x;
        }
        long[] shape = state.shape.clone();
        NDArray current = scratch.tmp(x.reshape(new Shape(shape)));
        for (int k = 0; k < shape.length; k++) {
            long side = shape[0];
            long rest = current.size() / side;
            NDArray moved = scratch.tmp(scratch.tmp(current.reshape(side, rest)).transpose()); // [R, d]
            if (state.preconditioned[k]) {
                NDArray basis = back ? scratch.tmp(state.q[k].transpose()) : state.q[k];
                moved = scratch.tmp(moved.matMul(basis));
            }
            long[] next = new long[shape.length];
            System.arraycopy(shape, 1, next, 0, shape.length - 1);
            next[shape.length - 1] = side;
            shape = next;
            current = scratch.tmp(moved.reshape(new Shape(shape)));
        }
        return scratch.tmp(current.reshape(x.getShape()));
    }

    /** Eigenvectors of {@code gg} by descending eigenvalue (the reference's eigh + flip), row-major. */
    private static double[] eigenbasis(NDArray gg) {
        int n = Math.toIntExact(gg.getShape().get(0));
        float[] values = gg.toFloatArray();
        double[] matrix = new double[n * n];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = values[i];
        }
        for (int i = 0; i < n; i++) {
            matrix[i * n + i] = values[i * n + i] + 1e-30f; // the reference adds 1e-30 * I (in float32)
        }
        double[] ascending = SymmetricEigen.decompose(matrix, n).vectors();
        double[] flipped = new double[n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                flipped[r * n + c] = ascending[r * n + (n - 1 - c)];
            }
        }
        return flipped;
    }

    /**
     * One power iteration plus QR per side; also permutes the second moment along each side by the new column order
     * and moves the first moment from the old basis into the new one.
     */
    private void refreshBases(SoapState state, Scratch scratch) {
        NDArray original = rotate(state.expAvg, state, true, scratch);
        float[] expAvgSq = state.expAvgSq.toFloatArray();
        for (int k = 0; k < state.shape.length; k++) {
            if (!state.preconditioned[k]) {
                continue;
            }
            int n = Math.toIntExact(state.shape[k]);
            NDArray product = scratch.tmp(state.gg[k].matMul(state.q[k])); // GG Q, [d, d]
            float[] estimates = scratch.tmp(scratch.tmp(state.q[k].mul(product)).sum(new int[] {0}))
                    .toFloatArray(); // diag(Q^T GG Q)
            int[] order = descendingOrder(estimates);
            permuteAxis(expAvgSq, state.shape, k, order);
            float[] power = product.toFloatArray();
            double[] sorted = new double[n * n];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    sorted[r * n + c] = power[r * n + order[c]];
                }
            }
            double[] basis = HouseholderQr.orthogonalFactor(sorted, n);
            NDArray old = state.q[k];
            state.q[k] = ownedFrom(basis, old.getShape(), scratch);
            old.close();
        }
        NDArray oldSq = state.expAvgSq;
        state.expAvgSq = ownedFrom(expAvgSq, oldSq.getShape(), scratch);
        oldSq.close();
        NDArray oldAvg = state.expAvg;
        NDArray carried = rotate(original, state, false, scratch);
        state.expAvg = carried.duplicate();
        state.expAvg.attach(manager);
        oldAvg.close();
    }

    /** Indices sorting {@code values} in descending order; ties keep their index order. */
    static int[] descendingOrder(float[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(values[b], values[a]));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /** {@code data} (row-major, {@code shape}) re-indexed along {@code axis}: new[.., j, ..] = old[.., order[j], ..]. */
    static void permuteAxis(float[] data, long[] shape, int axis, int[] order) {
        long before = 1;
        for (int i = 0; i < axis; i++) {
            before *= shape[i];
        }
        int side = Math.toIntExact(shape[axis]);
        int after = Math.toIntExact(data.length / (before * side));
        float[] block = new float[side * after];
        for (long b = 0; b < before; b++) {
            int base = Math.toIntExact(b * side * after);
            System.arraycopy(data, base, block, 0, block.length);
            for (int j = 0; j < side; j++) {
                System.arraycopy(block, order[j] * after, data, base + j * after, after);
            }
        }
    }

    /** A native (libtorch-allocated) float32 array owned by the optimizer, with the values of {@code values}. */
    private NDArray ownedFrom(double[] values, Shape shape, Scratch scratch) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return ownedFrom(floats, shape, scratch);
    }

    private NDArray ownedFrom(float[] values, Shape shape, Scratch scratch) {
        // manager.create wraps a Java direct buffer; a clone moves the data into native memory owned by libtorch.
        NDArray wrapped = scratch.tmp(scratch.manager().create(values, shape));
        NDArray owned = wrapped.duplicate();
        owned.attach(manager);
        return owned;
    }

    private static void checkState(String name, SoapState state, NDArray param) {
        if (!state.expAvg.getShape().equals(param.getShape())) {
            throw new IllegalStateException("optimizer state for " + name + " has shape " + state.expAvg.getShape()
                    + ", parameter " + param.getShape());
        }
    }

    @Override
    public void setLearningRate(double learningRate) {
        Checks.nonNegative("learningRate", learningRate);
        this.learningRate = learningRate;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public Map<String, NDArray> state() {
        if (exported != null) {
            exported.close();
        }
        exported = manager.newSubManager();
        Map<String, NDArray> out = new LinkedHashMap<>();
        states.forEach((name, state) -> {
            out.put(STEP + name, StateArrays.counter(exported, state.step));
            out.put(EXP_AVG + name, state.expAvg);
            out.put(EXP_AVG_SQ + name, state.expAvgSq);
            for (int k = 0; k < state.shape.length; k++) {
                if (state.preconditioned[k]) {
                    out.put(GG + k + "." + name, state.gg[k]);
                    out.put(Q + k + "." + name, state.q[k]);
                }
            }
        });
        return out;
    }

    /**
     * Restores the state. The preconditioned shape and which sides are preconditioned follow from the parameter
     * shape and this optimizer's configuration; they are checked against the loaded arrays.
     */
    @Override
    public void loadState(Map<String, NDArray> state) {
        Map<String, NDArray> steps = StateArrays.withPrefix(state, STEP);
        Map<String, NDArray> expAvg = StateArrays.withPrefix(state, EXP_AVG);
        Map<String, NDArray> expAvgSq = StateArrays.withPrefix(state, EXP_AVG_SQ);
        Map<String, NDArray> gg = StateArrays.withPrefix(state, GG);
        Map<String, NDArray> q = StateArrays.withPrefix(state, Q);
        for (String key : state.keySet()) {
            if (key.startsWith(PREFIX)
                    && !key.startsWith(STEP)
                    && !key.startsWith(EXP_AVG)
                    && !key.startsWith(EXP_AVG_SQ)
                    && !key.startsWith(GG)
                    && !key.startsWith(Q)) {
                throw new IllegalArgumentException("unknown SOAP state entry " + key);
            }
        }
        if (!steps.keySet().equals(expAvg.keySet()) || !steps.keySet().equals(expAvgSq.keySet())) {
            throw new IllegalArgumentException("SOAP state must hold step, exp_avg and exp_avg_sq for every parameter;"
                    + " got steps for " + steps.keySet() + ", exp_avg for " + expAvg.keySet() + ", exp_avg_sq for "
                    + expAvgSq.keySet());
        }
        TreeSet<String> sideKeys = new TreeSet<>(gg.keySet());
        sideKeys.addAll(q.keySet());
        Map<String, SoapState> loaded = new LinkedHashMap<>();
        try {
            for (String name : steps.keySet()) {
                NDArray m = expAvg.get(name);
                SoapState restored = emptyState(m.getShape());
                loaded.put(name, restored);
                restored.step = StateArrays.readCounter(STEP + name, steps.get(name));
                restored.expAvg = StateArrays.copy(manager, m);
                restored.expAvgSq = StateArrays.copy(manager, expAvgSq.get(name));
                for (int k = 0; k < restored.shape.length; k++) {
                    String side = k + "." + name;
                    sideKeys.remove(side);
                    boolean expected = restored.preconditioned[k];
                    if (expected != (gg.containsKey(side) && q.containsKey(side))) {
                        throw new IllegalArgumentException("SOAP state for " + name + " side " + k
                                + (expected ? " lacks gg/q" : " has gg/q but the configuration uses the identity"));
                    }
                    if (expected) {
                        Shape square = new Shape(restored.shape[k], restored.shape[k]);
                        if (!gg.get(side).getShape().equals(square)
                                || !q.get(side).getShape().equals(square)) {
                            throw new IllegalArgumentException(
                                    "SOAP state for " + name + " side " + k + " must be " + square);
                        }
                        restored.gg[k] = StateArrays.copy(manager, gg.get(side));
                        restored.q[k] = StateArrays.copy(manager, q.get(side));
                    }
                }
            }
            if (!sideKeys.isEmpty()) {
                throw new IllegalArgumentException("SOAP gg/q entries without a parameter: " + sideKeys);
            }
        } catch (RuntimeException e) {
            loaded.values().forEach(SoapState::close);
            throw e;
        }
        clear();
        states.putAll(loaded);
    }

    private void clear() {
        states.values().forEach(SoapState::close);
        states.clear();
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        states.clear();
        manager.close();
    }
}
