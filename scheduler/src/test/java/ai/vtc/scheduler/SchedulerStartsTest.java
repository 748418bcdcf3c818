package ai.vtc.scheduler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.contracts.Channels;
import ai.vtc.contracts.Topics;
import ai.vtc.scheduler.persistence.SweepEntity;
import ai.vtc.scheduler.persistence.SweepStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class SchedulerStartsTest {
    @Test
    void answersHealth() {
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void bindsEachChannelToItsTopicAndDeadLettersWhatItCannotRead() {
        for (String channel : List.of(Channels.TRIAL_EVENTS, Channels.EVALUATIONS)) {
            assertEquals(channel, incoming(channel, "topic"));
            assertEquals("dead-letter-queue", incoming(channel, "failure-strategy"));
            assertEquals(Topics.TRIALS_DLQ, incoming(channel, "dead-letter-queue.topic"));
        }
    }

    private static String incoming(String channel, String key) {
        return ConfigProvider.getConfig().getValue("mp.messaging.incoming." + channel + "." + key, String.class);
    }

    @Test
    void writesAndReadsARowInTheRealPostgresViaPanache() {
        String id = "s-" + System.nanoTime();
        QuarkusTransaction.requiringNew().run(() -> {
            SweepEntity sweep = new SweepEntity();
            sweep.id = id;
            sweep.name = "panache-check";
            sweep.specYaml = "name: panache-check\n";
            sweep.status = SweepStatus.RUNNING;
            sweep.createdAt = Instant.now();
            sweep.persist();
        });
        SweepEntity read = QuarkusTransaction.requiringNew().call(() -> SweepEntity.findById(id));
        assertEquals("panache-check", read.name);
        assertEquals(SweepStatus.RUNNING, read.status);
    }
}
