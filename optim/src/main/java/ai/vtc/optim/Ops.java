package ai.vtc.optim;

import ai.djl.ndarray.NDArray;

/** Small in-place building blocks shared by the optimizers. */
final class Ops {

    private Ops() {}

    /**
     * {@code self += weight * (end - self)}, the formula torch's {@code lerp_} uses for weights below 0.5 (for larger
     * weights torch evaluates {@code end - (end - self) * (1 - weight)}, equal up to rounding).
     */
    static void lerpInPlace(NDArray self, NDArray end, double weight, Scratch scratch) {
        NDArray diff = scratch.tmp(end.sub(self));
        self.addi(diff.muli((float) weight));
    }
}
