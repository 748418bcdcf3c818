package ai.vtc.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with decoupled weight decay, step for step as {@code torch.optim.AdamW} (amsgrad off, single-tensor path):
 *
 * <pre>
 * t += 1
 * p  *= 1 - lr * wd                          (only where the decay rule says so)
 * m  += (1 - beta1) * (g - m)                (torch's lerp_)
 * v   = beta2 * v + (1 - beta2) * g * g
 * p  -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * <p>eps is added after the bias correction of the second moment, as in PyTorch (DJL's own fused {@code adamUpdate}
 * adds it before and keeps its moments in private fields, so it can neither match nor be checkpointed). Each parameter
 * keeps its own step count, so parameters that skip a step (no gradient) are corrected as torch corrects them.
 *
 * <p>State keys: {@code adamw.step.<param>} (INT64 [1]), {@code adamw.exp_avg.<param>},
 * {@code adamw.exp_avg_sq.<param>} (shape and type of the parameter).
 */
public final class AdamW implements Optimizer {

    static final String PREFIX = "adamw.";
    private static final String STEP = PREFIX + "step.";
    private static final String EXP_AVG = PREFIX + "exp_avg.";
    private static final String EXP_AVG_SQ = PREFIX + "exp_avg_sq.";

    private final NDManager manager;
    private final AdamWConfig config;
    private final Map<String, Moments> moments = new LinkedHashMap<>();
    private NDManager exported;
    private double learningRate;
    private double beta1;

    private static final class Moments {
        long step;
        final NDArray expAvg;
        final NDArray expAvgSq;

        Moments(long step, NDArray expAvg, NDArray expAvgSq) {
            this.step = step;
            this.expAvg = expAvg;
            this.expAvgSq = expAvgSq;
        }
    }

    /** The optimizer's state lives in a sub-manager of {@code parent}, freed by {@link #close()}. */
    public AdamW(NDManager parent, AdamWConfig config) {
        this.manager = parent.newSubManager();
        this.config = config;
        this.learningRate = config.learningRate();
        this.beta1 = config.beta1();
    }

    public AdamWConfig config() {
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
        Moments state = moments.computeIfAbsent(
                name,
                n -> new Moments(
                        0,
                        manager.zeros(param.getShape(), param.getDataType(), param.getDevice()),
                        manager.zeros(param.getShape(), param.getDataType(), param.getDevice())));
        if (!state.expAvg.getShape().equals(param.getShape())) {
            throw new IllegalStateException("optimizer state for " + name + " has shape " + state.expAvg.getShape()
                    + ", parameter " + param.getShape());
        }
        state.step++;
        double beta2 = config.beta2();

        if (config.weightDecay() != 0 && config.decayRule().decays(name, param.getShape())) {
            param.muli((float) (1 - learningRate * config.weightDecay()));
        }
        Ops.lerpInPlace(state.expAvg, grad, 1 - beta1, scratch);
        NDArray gradSq = scratch.tmp(grad.mul((float) (1 - beta2))).muli(grad);
        state.expAvgSq.muli((float) beta2).addi(gradSq);

        double biasCorrection1 = 1 - Math.pow(beta1, state.step);
        double biasCorrection2 = 1 - Math.pow(beta2, state.step);
        double stepSize = learningRate / biasCorrection1;
        NDArray denom = scratch.tmp(state.expAvgSq.sqrt());
        denom.divi((float) Math.sqrt(biasCorrection2)).addi((float) config.eps());
        NDArray delta = scratch.tmp(state.expAvg.div(denom));
        param.addi(delta.muli((float) -stepSize));
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

    /** Sets beta1 for the next steps, as a one-cycle schedule's momentum cycling does (torch's cycle_momentum). */
    public void setBeta1(double beta1) {
        Checks.inUnitInterval("beta1", beta1);
        this.beta1 = beta1;
    }

    public double beta1() {
        return beta1;
    }

    @Override
    public Map<String, NDArray> state() {
        if (exported != null) {
            exported.close();
        }
        exported = manager.newSubManager();
        Map<String, NDArray> out = new LinkedHashMap<>();
        moments.forEach((name, state) -> {
            out.put(STEP + name, StateArrays.counter(exported, state.step));
            out.put(EXP_AVG + name, state.expAvg);
            out.put(EXP_AVG_SQ + name, state.expAvgSq);
        });
        return out;
    }

    @Override
    public void loadState(Map<String, NDArray> state) {
        Map<String, NDArray> steps = StateArrays.withPrefix(state, STEP);
        Map<String, NDArray> expAvg = StateArrays.withPrefix(state, EXP_AVG);
        Map<String, NDArray> expAvgSq = StateArrays.withPrefix(state, EXP_AVG_SQ);
        for (String key : state.keySet()) {
            if (key.startsWith(PREFIX)
                    && !key.startsWith(STEP)
                    && !key.startsWith(EXP_AVG)
                    && !key.startsWith(EXP_AVG_SQ)) {
                throw new IllegalArgumentException("unknown AdamW state entry " + key);
            }
        }
        if (!steps.keySet().equals(expAvg.keySet()) || !steps.keySet().equals(expAvgSq.keySet())) {
            throw new IllegalArgumentException("AdamW state must hold step, exp_avg and exp_avg_sq for every"
                    + " parameter; got steps for " + steps.keySet() + ", exp_avg for " + expAvg.keySet()
                    + ", exp_avg_sq for " + expAvgSq.keySet());
        }
        Map<String, Moments> loaded = new LinkedHashMap<>();
        try {
            for (String name : steps.keySet()) {
                NDArray m = expAvg.get(name);
                NDArray v = expAvgSq.get(name);
                if (!m.getShape().equals(v.getShape())) {
                    throw new IllegalArgumentException("exp_avg and exp_avg_sq of " + name + " differ in shape: "
                            + m.getShape() + " vs " + v.getShape());
                }
                long step = StateArrays.readCounter(STEP + name, steps.get(name));
                loaded.put(name, new Moments(step, StateArrays.copy(manager, m), StateArrays.copy(manager, v)));
            }
        } catch (RuntimeException e) {
            for (Moments partial : loaded.values()) {
                partial.expAvg.close();
                partial.expAvgSq.close();
            }
            throw e;
        }
        clear();
        moments.putAll(loaded);
    }

    private void clear() {
        for (Moments state : moments.values()) {
            state.expAvg.close();
            state.expAvgSq.close();
        }
        moments.clear();
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        moments.clear();
        manager.close();
    }
}
