package ai.vtc.florence2.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;

/**
 * Zeroing gradients between backward passes in the model's tests and benchmarks. DJL's PyTorch engine adds every backward pass to
 * the leaves' gradients and never clears them; the trainer clears them through the {@code optim} module, which the
 * model library does not depend on.
 */
public final class TestGradients {

    private TestGradients() {}

    /** torch's {@code grad.zero_()} on every array; arrays that never had a gradient are left alone. */
    public static void zero(Collection<NDArray> arrays) {
        for (NDArray array : arrays) {
            JniUtils.zeroGrad((PtNDArray) array);
        }
    }
}
