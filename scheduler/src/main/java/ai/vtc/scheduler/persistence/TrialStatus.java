package ai.vtc.scheduler.persistence;

import java.util.List;
import java.util.Locale;

/**
 * Where a trial stands. {@code QUEUED}: accepted and in the outbox or on {@code trials}; {@code RUNNING}: a worker
 * reported on it; {@code CANCELLING}: told to stop, waiting for the worker; the rest are final until a retry or a
 * resubmission queues the trial again.
 */
public enum TrialStatus {
    QUEUED,
    RUNNING,
    CANCELLING,
    COMPLETED,
    FAILED,
    CANCELLED;

    /** The states in which a trial still occupies (or will occupy) a worker. */
    public static final List<TrialStatus> ACTIVE = List.of(QUEUED, RUNNING, CANCELLING);

    public boolean isActive() {
        return ACTIVE.contains(this);
    }

    /** The lower-case name the API and metrics use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
