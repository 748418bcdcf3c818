package ai.vtc.scheduler.persistence;

import java.util.Locale;

/**
 * Where a sweep stands. Only {@code RUNNING}, {@code CANCELLED} and {@code FAILED} are stored; a running sweep none
 * of whose trials is active any more reads as {@code COMPLETED} (so no two event handlers race to finish it).
 */
public enum SweepStatus {
    RUNNING,
    COMPLETED,
    CANCELLED,
    /** Stopped because {@code max_failed_trials} trials failed. */
    FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
