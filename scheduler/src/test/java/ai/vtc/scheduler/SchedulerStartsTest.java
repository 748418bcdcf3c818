package ai.vtc.scheduler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.scheduler.persistence.SweepEntity;
import ai.vtc.scheduler.persistence.SweepStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class SchedulerStartsTest {
    @Test
    void answersHealth() {
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
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
