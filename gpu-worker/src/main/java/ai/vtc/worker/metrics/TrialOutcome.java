package ai.vtc.worker.metrics;

import java.util.Locale;

/** How a trial that started running on this worker ended: the {@code outcome} tag of {@code worker_trials_total}. */
public enum TrialOutcome {
    COMPLETED,
    FAILED,
    CANCELLED,
    /** Stopped by SIGTERM or a rebalance after a checkpoint; another worker (or this one, restarted) resumes it. */
    STOPPED,
    /** Finished after another worker had completed the same trial: that worker's outputs stand, this one's dropped. */
    DUPLICATE;

    /** The tag value: the name in lower case ({@code completed}, ...), as on the dashboard. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
