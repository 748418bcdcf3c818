package ai.vtc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.contracts.Topics;
import ai.vtc.scheduler.persistence.OutboxEntity;
import ai.vtc.storage.ObjectStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * First half of the restart test: sweeps are accepted (trials queued, requests in the outbox) by a scheduler whose
 * relay never runs, then Quarkus stops it. {@link Restart2PublishOnceAfterRestartTest} starts a fresh one.
 */
@QuarkusTest
@TestProfile(Restart1RelayOffProfile.class)
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class Restart1AcceptWithoutPublishingTest {
    static final String ACCEPTED = "vtc.test.restart.accepted";
    static final String WITHDRAWN = "vtc.test.restart.withdrawn";

    @Inject
    ObjectStore store;

    @Test
    void acceptedTrialsWaitInTheOutboxAndACancelWithdrawsThem() {
        List<String> accepted = Fixtures.submit(Fixtures.designExample(store)).getList("trials.id");
        assertEquals(25, accepted.size());
        accepted.forEach(id -> assertEquals("queued", Fixtures.trial(id).getString("status")));
        assertEquals(25L, outboxRows(accepted));

        JsonPath cancelledSweep = Fixtures.submit(Fixtures.smallSweep(store, 3, null));
        List<String> withdrawn = cancelledSweep.getList("trials.id");
        assertEquals(3L, outboxRows(withdrawn));
        JsonPath cancelled = Fixtures.post("/sweeps/" + cancelledSweep.getString("id") + "/cancel");
        assertEquals(3, cancelled.getInt("cancelled"));
        assertEquals(0L, outboxRows(withdrawn)); // never published: no request, and no cancel needed either

        try (TopicReader trials = new TopicReader(Topics.TRIALS)) {
            assertEquals(
                    0,
                    trials.recordsFor(accepted, 1, Duration.ofSeconds(2), Duration.ZERO)
                            .size());
        }
        System.setProperty(ACCEPTED, String.join(",", accepted));
        System.setProperty(WITHDRAWN, String.join(",", withdrawn));
    }

    static long outboxRows(List<String> trialIds) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxEntity.count("trialId in ?1", trialIds));
    }
}
