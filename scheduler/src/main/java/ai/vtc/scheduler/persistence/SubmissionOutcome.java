package ai.vtc.scheduler.persistence;

import jakarta.persistence.EnumeratedValue;

/**
 * What a submission did with one of its trials: stored in {@code sweep_trial.submission} and shown in the answer to
 * a submission, always as its {@link #label()}.
 */
public enum SubmissionOutcome {
    /** A trial no sweep had before: created and queued. */
    NEW("new"),
    /** A trial that had failed or been cancelled: queued again, with its next attempt. */
    REQUEUED("requeued"),
    /** A trial queued, running or completed for another sweep: shared, not run again. */
    REUSED("reused");

    @EnumeratedValue
    private final String label;

    SubmissionOutcome(String label) {
        this.label = label;
    }

    /** The stored and shown spelling. */
    public String label() {
        return label;
    }
}
