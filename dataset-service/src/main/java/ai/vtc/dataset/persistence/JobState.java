package ai.vtc.dataset.persistence;

import java.util.Locale;

/**
 * The life of an ingest job, stored by name; its {@link #label()} is the job view's {@code state} and, for a
 * finished job, the {@code outcome} tag of {@code datasets.jobs}.
 */
public enum JobState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED;

    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED;
    }

    /** The lower-case name the API and metrics use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
