package ai.vtc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialRequested;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Second half of the race's restart test: the restarted scheduler receives every evaluation of the race again (as
 * after a crash before the offsets were committed) and the rest of the second rung. The first rung's decisions stay
 * exactly as they were (none lost, none made again), the second rung is decided once, and every trial was asked for
 * each share once.
 */
@QuarkusTest
@TestProfile(RaceRestart2Profile.class)
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class RaceRestart2ContinuesTest {
    @Test
    void theRestartedSchedulerContinuesTheRaceWithoutLosingOrRepeatingADecision() {
        String sweepId = System.getProperty(RaceRestart1MidRaceTest.SWEEP);
        Assumptions.assumeTrue(sweepId != null, "runs after RaceRestart1MidRaceTest");
        RaceFixture race = RaceFixture.of(sweepId);
        List<String> ids = List.copyOf(race.trials.values());
        assertEquals(1, RaceFixture.race(sweepId).getInt("rung"), "the stored rung survives the restart");
        try (TopicReader trials = new TopicReader(Topics.TRIALS);
                EventSender sender = new EventSender()) {
            List<String> second = RaceTest.askedFor(trials, race, ids, 1);
            for (String id : ids) {
                race.send(sender, id, 0.25); // redelivered: changes nothing
            }
            race.send(sender, System.getProperty(RaceRestart1MidRaceTest.EVALUATED), 0.5);
            for (String id : second) {
                race.send(sender, id, 0.5);
            }
            Eventually.assertThat(
                    () -> assertEquals(2, RaceFixture.race(sweepId).getInt("rung")));
            RaceTest.askedFor(trials, race, ids, 2);

            List<Map<String, Object>> decisions = RaceFixture.race(sweepId).getList("decisions");
            List<Map<String, Object>> first = decisions.stream()
                    .filter(d -> ((Number) d.get("rung")).intValue() == 0)
                    .toList();
            assertEquals(System.getProperty(RaceRestart1MidRaceTest.DECISIONS), fingerprint(first));
            assertEquals(
                    second.size(),
                    decisions.stream()
                            .filter(d -> ((Number) d.get("rung")).intValue() == 1)
                            .count());
            Map<String, Long> perRequest =
                    RaceFixture.requests(trials.recordsFor(ids, 0, Duration.ZERO, Duration.ofSeconds(2)), sweepId)
                            .stream()
                            .collect(Collectors.groupingBy(
                                    RaceRestart2ContinuesTest::requestKey, Collectors.counting()));
            perRequest.forEach((request, n) -> assertEquals(1L, n, request + " was requested " + n + " times"));
        }
    }

    /** Every decision with its evidence, in a stable order, for comparing before and after the restart. */
    static String fingerprint(List<Map<String, Object>> decisions) {
        return decisions.stream()
                .map(d -> d.get("rung") + "/" + d.get("trial_id") + "/" + d.get("outcome") + "/" + d.get("dominated_by")
                        + "/" + d.get("lower") + "/" + d.get("upper"))
                .sorted()
                .collect(Collectors.joining(";"));
    }

    private static String requestKey(TrialRequested request) {
        return request.trialId() + "@" + request.evalFraction();
    }
}
