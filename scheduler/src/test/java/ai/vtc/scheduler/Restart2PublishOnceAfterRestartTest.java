package ai.vtc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.contracts.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Second half of the restart test: the restarted scheduler publishes every trial the crashed one accepted, each
 * exactly once, and none of the withdrawn ones.
 */
@QuarkusTest
@TestProfile(Restart2RelayOnProfile.class)
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class Restart2PublishOnceAfterRestartTest {
    @Test
    void theRestartedSchedulerPublishesEachAcceptedTrialOnce() {
        String accepted = System.getProperty(Restart1AcceptWithoutPublishingTest.ACCEPTED);
        Assumptions.assumeTrue(accepted != null, "runs after Restart1AcceptWithoutPublishingTest");
        List<String> ids = List.of(accepted.split(","));
        List<String> withdrawn = List.of(System.getProperty(Restart1AcceptWithoutPublishingTest.WITHDRAWN)
                .split(","));
        try (TopicReader trials = new TopicReader(Topics.TRIALS);
                TopicReader control = new TopicReader(Topics.TRIAL_CONTROL)) {
            List<ConsumerRecord<String, String>> records =
                    trials.recordsFor(ids, 25, Duration.ofSeconds(30), Duration.ofSeconds(3));
            Map<String, Long> perTrial =
                    records.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            assertEquals(25, perTrial.size());
            perTrial.forEach((id, n) -> assertEquals(1L, n, id + " published " + n + " times"));
            assertEquals(
                    0,
                    trials.recordsFor(withdrawn, 1, Duration.ZERO, Duration.ZERO)
                            .size());
            assertEquals(
                    0,
                    control.recordsFor(withdrawn, 1, Duration.ofSeconds(1), Duration.ZERO)
                            .size());
        }
        assertEquals(0L, Restart1AcceptWithoutPublishingTest.outboxRows(ids));
    }
}
