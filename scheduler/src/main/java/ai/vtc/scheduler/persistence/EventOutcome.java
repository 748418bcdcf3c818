package ai.vtc.scheduler.persistence;

import jakarta.persistence.EnumeratedValue;

/**
 * What an event received about a trial did: stored in {@code trial_event.outcome}, shown in a trial's events and
 * counted as the {@code outcome} tag of {@code scheduler.events}, always as its {@link #label()}.
 */
public enum EventOutcome {
    /** It changed the trial. */
    APPLIED("applied"),
    /** No change in the trial's current state (late, or an attempt this scheduler never requested). */
    IGNORED("ignored"),
    /** From an older attempt than the trial's current one. */
    STALE("stale"),
    /** Received before (the same canonical JSON); not stored again. */
    DUPLICATE("duplicate"),
    /** About a trial this scheduler does not know; not stored. */
    UNKNOWN("unknown");

    @EnumeratedValue
    private final String label;

    EventOutcome(String label) {
        this.label = label;
    }

    /** The stored, shown and tagged spelling. */
    public String label() {
        return label;
    }
}
