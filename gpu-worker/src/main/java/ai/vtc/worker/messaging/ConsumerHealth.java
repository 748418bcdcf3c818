package ai.vtc.worker.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the trials consumer can consume: its thread runs, and the broker has answered it since it last failed. Set
 * by {@link TrialLoop}'s thread, read by the health check.
 */
public final class ConsumerHealth {
    private volatile boolean running;
    private volatile Instant failingSince;
    private volatile String lastFailure;
    private volatile String notStarted;

    /** The consumer was never started, for {@code reason}. */
    void notStarted(String reason) {
        notStarted = reason;
    }

    void started() {
        running = true;
    }

    void ended() {
        running = false;
    }

    void ok() {
        failingSince = null;
    }

    void failing(Throwable e) {
        lastFailure = e.toString();
        if (failingSince == null) {
            failingSince = Instant.now();
        }
    }

    /** Why the consumer cannot consume, when its thread ended or it has failed for longer than {@code bound}. */
    public Optional<String> problem(Duration bound, Instant now) {
        if (notStarted != null) {
            return Optional.of("not consuming trials: " + notStarted);
        }
        if (!running) {
            return Optional.of("the trials consumer thread is not running");
        }
        Instant since = failingSince;
        if (since != null && Duration.between(since, now).compareTo(bound) > 0) {
            return Optional.of("failing since " + since + " (more than " + bound.toSeconds() + " s): " + lastFailure);
        }
        return Optional.empty();
    }
}
