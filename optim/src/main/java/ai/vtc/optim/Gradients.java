package ai.vtc.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading, clipping and zeroing the gradients DJL's autograd leaves on parameters.
 *
 * <p>How gradients behave with the PyTorch engine (DJL 0.36): a parameter marked with
 * {@code setRequiresGradient(true)} is a leaf tensor, and every {@code GradientCollector.backward} <b>adds</b> to its
 * {@code .grad}; DJL's {@code PtGradientCollector} does not zero anything when it opens (that call is disabled in
 * DJL), so gradients accumulate across backward calls and across collectors until they are reset with
 * {@link #zero(Collection)}. Gradient accumulation over micro-batches therefore needs no buffers of its own (see
 * {@link GradientAccumulator}), and a training step must zero the gradients after the optimizer step.
 * {@code getGradient()} returns a new handle on the same storage each call, attached to the <i>parameter's</i>
 * manager; {@link #of} moves those handles into a per-step scope so they do not pile up.
 */
public final class Gradients {

    /** torch.nn.utils.clip_grad_norm_ adds this to the total norm before dividing. */
    private static final float CLIP_EPS = 1e-6f;

    private Gradients() {}

    /**
     * The current gradient of every parameter, as handles on the parameters' gradient storage (in-place changes, e.g.
     * clipping, change the gradients themselves) owned by {@code scope}. A parameter that has not been through a
     * backward pass yields zeros (DJL's behaviour).
     */
    public static Map<String, NDArray> of(Map<String, NDArray> parameters, NDManager scope) {
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        parameters.forEach((name, param) -> {
            if (!param.hasGradient()) {
                throw new IllegalArgumentException(name + " does not require a gradient (setRequiresGradient(true))");
            }
            NDArray gradient = param.getGradient();
            gradient.attach(scope);
            gradients.put(name, gradient);
        });
        return gradients;
    }

    /**
     * Resets the gradients of these parameters to zero in place (torch's {@code grad.zero_()}; NaN and infinity are
     * cleared too). Parameters that never had a gradient are left alone.
     */
    public static void zero(Collection<NDArray> parameters) {
        for (NDArray param : parameters) {
            if (param instanceof PtNDArray pt) {
                JniUtils.zeroGrad(pt);
            } else {
                try (NDArray gradient = param.getGradient()) {
                    gradient.muli(0);
                }
            }
        }
    }

    /** Multiplies every gradient in place by {@code factor} (e.g. 1/micro-batches). */
    public static void scale(Map<String, NDArray> gradients, double factor) {
        if (factor == 1) {
            return;
        }
        for (NDArray gradient : gradients.values()) {
            gradient.muli((float) factor);
        }
    }

    /**
     * The L2 norm over all gradients together, as {@code torch.nn.utils.clip_grad_norm_(norm_type=2)} computes it: the
     * norm of the vector of per-tensor norms, in float32.
     */
    public static double globalNorm(Map<String, NDArray> gradients) {
        if (gradients.isEmpty()) {
            return 0;
        }
        NDManager owner = gradients.values().iterator().next().getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDList norms = new NDList();
            for (NDArray gradient : gradients.values()) {
                NDArray norm = gradient.norm();
                norm.attach(scope);
                norms.add(norm);
            }
            NDArray stacked = NDArrays.stack(norms);
            stacked.attach(scope);
            NDArray total = stacked.norm();
            total.attach(scope);
            return total.getFloat();
        }
    }

    /**
     * Scales the gradients in place so that their global L2 norm is at most {@code maxNorm}, exactly as
     * {@code torch.nn.utils.clip_grad_norm_}: coefficient = maxNorm / (total + 1e-6), applied only when below 1.
     *
     * @return the total norm before clipping; not finite when a gradient holds NaN or infinity (the gradients are then
     *     left as they are; skip the step)
     */
    public static double clipByGlobalNorm(Map<String, NDArray> gradients, double maxNorm) {
        Checks.nonNegative("maxNorm", maxNorm);
        float total = (float) globalNorm(gradients);
        float coefficient = (float) maxNorm / (total + CLIP_EPS);
        if (Float.isFinite(total) && coefficient < 1) {
            for (NDArray gradient : gradients.values()) {
                gradient.muli(coefficient);
            }
        }
        return total;
    }
}
