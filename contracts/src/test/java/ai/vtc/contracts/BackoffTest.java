package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofSeconds(5));

    @Test
    void transientFailuresAreRetriedWithDoublingPausesUntilTheWorkSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        List<Duration> pauses = new ArrayList<>();
        String result = FAST.call(
                () -> {
                    if (calls.incrementAndGet() < 5) {
                        throw new IllegalStateException("down");
                    }
                    return "done";
                },
                e -> true,
                (e, failures, pause) -> pauses.add(pause));
        assertEquals("done", result);
        assertEquals(5, calls.get());
        assertEquals(
                List.of(1L, 2L, 4L, 4L), pauses.stream().map(Duration::toMillis).toList());
    }

    @Test
    void aFailureThatIsNotTransientIsThrownAtOnce() {
        IllegalArgumentException bad = new IllegalArgumentException("bad data");
        AtomicInteger calls = new AtomicInteger();
        IllegalArgumentException thrown = assertThrows(
                IllegalArgumentException.class,
                () -> FAST.call(
                        () -> {
                            calls.incrementAndGet();
                            throw bad;
                        },
                        e -> e instanceof IllegalStateException,
                        (e, failures, pause) -> {}));
        assertSame(bad, thrown);
        assertEquals(1, calls.get());
    }

    @Test
    void failuresThatOutlastTheLimitEndInGaveUpWithTheLastFailure() {
        Backoff brief = new Backoff(Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(60));
        long t0 = System.nanoTime();
        Backoff.GaveUp gaveUp = assertThrows(
                Backoff.GaveUp.class,
                () -> brief.call(
                        () -> {
                            throw new IllegalStateException("still down");
                        },
                        e -> true,
                        (e, failures, pause) -> {}));
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(60).toNanos());
        assertTrue(gaveUp.failures() > 2, "retried until the limit: " + gaveUp.failures());
        assertEquals("still down", gaveUp.getCause().getMessage());
        assertTrue(gaveUp.getMessage().contains("still down"), gaveUp.getMessage());
    }
}
