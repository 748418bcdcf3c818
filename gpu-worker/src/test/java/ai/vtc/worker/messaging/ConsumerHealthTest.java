package ai.vtc.worker.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The rule of the {@code trials consumer} health check; the real broker fault is in {@code it/WorkerIT}. */
class ConsumerHealthTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void downWhenTheThreadIsNotRunningOrFailingLongerThanTheBoundAndUpAfterASuccess() {
        ConsumerHealth health = new ConsumerHealth();
        Instant now = Instant.now();
        assertEquals(Optional.of("the trials consumer thread is not running"), health.problem(BOUND, now));
        health.started();
        assertEquals(Optional.empty(), health.problem(BOUND, now));

        health.failing(new TimeoutException("Timeout expired while fetching topic metadata"));
        assertEquals(Optional.empty(), health.problem(BOUND, now.plusSeconds(59)), "within the bound");
        String problem = health.problem(BOUND, now.plusSeconds(61)).orElseThrow();
        assertTrue(problem.contains("more than 60 s") && problem.contains("Timeout expired"), problem);
        health.failing(new TimeoutException("again"));
        assertTrue(health.problem(BOUND, now.plusSeconds(61)).isPresent(), "a second failure keeps the first time");

        health.ok();
        assertEquals(Optional.empty(), health.problem(BOUND, now.plusSeconds(120)));
        health.ended();
        assertTrue(health.problem(BOUND, now).isPresent());
    }
}
