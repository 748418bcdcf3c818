package ai.vtc.contracts;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How a service waits out a fault of what it depends on (a restarting database, an unreachable object store or
 * broker) instead of turning it into a verdict: the work runs again after a pause that doubles from {@code first} up
 * to {@code max}, as long as each failure is transient and less than {@code giveUpAfter} has passed since the first
 * one. Then it gives up with {@link GaveUp}, whose cause is the last failure. A failure that is not transient is
 * thrown at once, unchanged.
 *
 * @param first the pause after the first failure
 * @param max the longest pause
 * @param giveUpAfter how long failures may go on before the caller is told
 */
public record Backoff(Duration first, Duration max, Duration giveUpAfter) {
    public Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("a backoff needs 0 < first <= max and giveUpAfter >= 0, not first "
                    + first + ", max " + max + ", giveUpAfter " + giveUpAfter);
        }
    }

    /** Told about each failure before the pause that precedes the next try. */
    @FunctionalInterface
    public interface Listener {
        void retrying(RuntimeException failure, int failures, Duration pause);
    }

    /** The last failure after {@code giveUpAfter} of transient failures (or an interrupt while waiting). */
    public static final class GaveUp extends RuntimeException {
        private final int failures;

        GaveUp(int failures, Duration after, RuntimeException last) {
            super(
                    "still failing after " + failures + " tries in " + after.toSeconds() + " s: " + last.getMessage(),
                    last);
            this.failures = failures;
        }

        public int failures() {
            return failures;
        }
    }

    /** Runs {@code work} until it succeeds, fails for good, or failures outlast {@code giveUpAfter}. */
    public <T> T call(Supplier<T> work, Predicate<Throwable> isTransient, Listener listener) {
        long deadline = 0;
        Duration pause = first;
        for (int failures = 1; ; failures++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (!isTransient.test(e)) {
                    throw e;
                }
                long now = System.nanoTime();
                if (failures == 1) {
                    deadline = now + giveUpAfter.toNanos();
                }
                long left = deadline - now;
                if (left <= 0) {
                    throw new GaveUp(failures, giveUpAfter, e);
                }
                Duration wait = pause.toNanos() < left ? pause : Duration.ofNanos(left);
                listener.retrying(e, failures, wait);
                try {
                    Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new GaveUp(failures, Duration.ofNanos(giveUpAfter.toNanos() - left), e);
                }
                pause = pause.multipliedBy(2).compareTo(max) > 0 ? max : pause.multipliedBy(2);
            }
        }
    }
}
