package ai.vtc.worker.service;

/**
 * A trial cannot complete. {@code retryable} says whether another attempt may succeed (a lost connection) or not
 * (an invalid spec, a model that does not load).
 */
public class TrialFailure extends RuntimeException {
    private final boolean retryable;

    public TrialFailure(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public TrialFailure(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
