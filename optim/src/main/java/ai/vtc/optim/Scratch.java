package ai.vtc.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The per-step scope for temporaries. DJL attaches the result of an operation to the manager of its first operand,
 * which for an optimizer is usually a long-lived state or parameter array; every temporary is therefore moved here
 * explicitly and freed when the step ends, so that native memory stays flat over thousands of steps.
 */
final class Scratch implements AutoCloseable {

    private final NDManager manager;

    Scratch(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    /** Takes ownership of a freshly created array (never pass a state or parameter array here). */
    NDArray tmp(NDArray fresh) {
        fresh.attach(manager);
        return fresh;
    }

    NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
