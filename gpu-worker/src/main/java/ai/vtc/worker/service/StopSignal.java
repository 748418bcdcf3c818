package ai.vtc.worker.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why the running trial should stop at its next step: the scheduler cancelled it, the worker shuts down, or its
 * partition moved to another worker. Checked by the training loop once per step.
 */
@jakarta.inject.Singleton
public class StopSignal {
    public enum Reason {
        CANCELLED,
        SHUTDOWN,
        REASSIGNED
    }

    /** Trial id to the newest attempt a cancel covers; 0 covers every attempt so far. */
    private final Map<String, Integer> cancelled = new ConcurrentHashMap<>();

    private volatile Reason global;
    private volatile String reassignedTrial;

    /** Cancels {@code trialId} up to attempt {@code upToAttempt} (0: every attempt so far). */
    public void cancel(String trialId, int upToAttempt) {
        cancelled.merge(trialId, upToAttempt, (a, b) -> a == 0 || b == 0 ? 0 : Math.max(a, b));
    }

    public void shutdown() {
        global = Reason.SHUTDOWN;
    }

    public void reassigned(String trialId) {
        reassignedTrial = trialId;
    }

    /** Forgets a reassignment once the trial has stopped (cancellations stay: a cancelled trial never restarts). */
    public void clearReassignment() {
        reassignedTrial = null;
    }

    public Reason reasonFor(String trialId, int attempt) {
        if (global != null) {
            return global;
        }
        Integer upTo = cancelled.get(trialId);
        if (upTo != null && (upTo == 0 || attempt <= upTo)) {
            return Reason.CANCELLED;
        }
        return trialId.equals(reassignedTrial) ? Reason.REASSIGNED : null;
    }

    public boolean isShuttingDown() {
        return global == Reason.SHUTDOWN;
    }
}
