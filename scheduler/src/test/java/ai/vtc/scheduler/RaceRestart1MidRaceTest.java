package ai.vtc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.contracts.Topics;
import ai.vtc.storage.ObjectStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * First half of the race's restart test: a race decides its first rung and receives one evaluation of its second,
 * then Quarkus stops this scheduler. {@link RaceRestart2ContinuesTest} starts a fresh one on the same database and
 * broker.
 */
@QuarkusTest
@TestProfile(RaceRestart1Profile.class)
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class RaceRestart1MidRaceTest {
    static final String SWEEP = "vtc.test.race-restart.sweep";
    static final String DECISIONS = "vtc.test.race-restart.decisions";
    static final String EVALUATED = "vtc.test.race-restart.evaluated";

    @Inject
    ObjectStore store;

    @Test
    void theFirstRungIsDecidedAndTheSecondHasBegun() {
        RaceFixture race = RaceFixture.submit(store);
        List<String> ids = List.copyOf(race.trials.values());
        try (TopicReader trials = new TopicReader(Topics.TRIALS);
                EventSender sender = new EventSender()) {
            assertEquals(
                    4,
                    RaceFixture.requests(trials.recordsFor(ids, 4, Duration.ofSeconds(30), Duration.ZERO), race.sweepId)
                            .size());
            for (String id : ids) {
                race.send(sender, id, 0.25);
            }
            Eventually.assertThat(
                    () -> assertEquals(1, RaceFixture.race(race.sweepId).getInt("rung")));
            List<String> second = RaceTest.askedFor(trials, race, ids, 1);
            race.send(sender, second.get(0), 0.5);
            Eventually.assertThat(
                    () -> assertEquals(1L, RaceFixture.race(race.sweepId).getLong("entrants.evaluated")));
            System.setProperty(EVALUATED, second.get(0));
        }
        List<Map<String, Object>> decisions = RaceFixture.race(race.sweepId).getList("decisions");
        assertEquals(4, decisions.size());
        System.setProperty(SWEEP, race.sweepId);
        System.setProperty(DECISIONS, RaceRestart2ContinuesTest.fingerprint(decisions));
    }
}
