package ai.vtc.scheduler.service;

/**
 * A model upload the scheduler refuses; {@link #conflict} when another model is stored under the name (answered 409),
 * otherwise the upload itself is wrong (400). Nothing of the refused upload is kept.
 */
public class ModelRejectedException extends RuntimeException {
    private final boolean conflict;

    public ModelRejectedException(String message, boolean conflict) {
        super(message);
        this.conflict = conflict;
    }

    public boolean conflict() {
        return conflict;
    }
}
