package ai.vtc.contracts;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How a consumer waits out a fault of what it depends on without losing its record: the work is tried again with a
 * {@link Backoff} as long as each failure is transient, and never given up, because the record is committed only
 * after the work returns. After {@code unhealthyAfter} of failures the {@link Observer} is told that the consumer is
 * stuck (the service then reports itself DOWN), and the work is tried every {@code maxPause} until it succeeds.
 * A failure that is not transient is thrown at once for the channel's dead-letter strategy.
 */
public final class UntilDone {
    /** What a consumer's service is told about the tries. */
    public interface Observer {
        /** A try failed on a transient fault; the next follows after {@code pause}. */
        void retrying(String channel, RuntimeException failure, int failures, Duration pause);

        /** Failing for longer than allowed: the channel consumes nothing else meanwhile. */
        void stuck(String channel, Backoff.GaveUp failure);

        /** The work succeeded (after being stuck, or not). */
        void recovered(String channel);
    }

    private final Backoff firstTries;
    private final Backoff laterTries;
    private final Predicate<Throwable> isTransient;
    private final Observer observer;

    public UntilDone(
            Duration firstPause,
            Duration maxPause,
            Duration unhealthyAfter,
            Predicate<Throwable> isTransient,
            Observer observer) {
        this.firstTries = new Backoff(firstPause, maxPause, unhealthyAfter);
        this.laterTries = new Backoff(maxPause, maxPause, unhealthyAfter);
        this.isTransient = isTransient;
        this.observer = observer;
    }

    /** Runs {@code work} for a record of {@code channel} until it succeeds or fails for good. */
    public <T> T call(String channel, Supplier<T> work) {
        Backoff backoff = firstTries;
        while (true) {
            try {
                T result = backoff.call(
                        work,
                        isTransient,
                        (failure, failures, pause) -> observer.retrying(channel, failure, failures, pause));
                observer.recovered(channel);
                return result;
            } catch (Backoff.GaveUp e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                observer.stuck(channel, e);
                backoff = laterTries;
            }
        }
    }

    /** The innermost cause's class and message, for a log line. */
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
