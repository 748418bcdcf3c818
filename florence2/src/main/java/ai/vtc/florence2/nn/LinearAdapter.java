package ai.vtc.florence2.nn;

import ai.djl.ndarray.NDArray;

/**
 * A term added to a {@link Linear} layer's output without changing the layer (LoRA's {@code (alpha / r) B A x}); the
 * layer's own weight, bias and product stay as they are, so a model without adapters runs exactly as before.
 */
public interface LinearAdapter {

    /** [..., in] -> [..., out]: what this adapter adds to the layer's output for input {@code x}. */
    NDArray delta(NDArray x);
}
