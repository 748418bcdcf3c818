package ai.vtc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.stats.ParetoFront;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A Pareto race on the hand-made sweep of {@link RaceFixture}, with this test as the workers and the evaluator: the
 * first rung stops the trial that a cheaper one beats with confidence, the survivors are asked for the next shares
 * only, the decisions carry their evidence, the race answers fewer questions than the grid, and its front is the
 * front the whole grid gives.
 */
@QuarkusTest
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class RaceTest {
    @Inject
    ObjectStore store;

    @Test
    void theRaceStopsDominatedTrialsAndFindsTheGridsFront() throws Exception {
        RaceFixture race = RaceFixture.submit(store);
        List<String> ids = List.copyOf(race.trials.values());
        try (TopicReader trials = new TopicReader(Topics.TRIALS);
                EventSender sender = new EventSender()) {
            List<TrialRequested> first = RaceFixture.requests(
                    trials.recordsFor(ids, 4, Duration.ofSeconds(30), Duration.ZERO), race.sweepId);
            assertEquals(4, first.size());
            first.forEach(r -> assertEquals(0.25, r.evalFraction(), r.trialId() + " asks for the first rung"));

            for (String id : ids) {
                race.send(sender, id, 0.25);
            }
            Eventually.assertThat(
                    () -> assertEquals(1, RaceFixture.race(race.sweepId).getInt("rung")));
            JsonPath afterFirst = RaceFixture.race(race.sweepId);
            List<Map<String, Object>> stops = stops(afterFirst);
            assertEquals(1, stops.size(), stops::toString);
            Map<String, Object> stop = stops.get(0);
            assertEquals(race.trials.get("4"), stop.get("trial_id"));
            assertEquals(race.trials.get("8"), stop.get("dominated_by"));
            assertEquals(0, stop.get("rung"));
            assertEquals(50, stop.get("questions"));
            assertTrue(((Number) stop.get("lower")).doubleValue() > 0, "the interval excludes zero: " + stop);
            assertTrue(((Number) stop.get("difference")).doubleValue() >= ((Number) stop.get("lower")).doubleValue());
            assertEquals("cancelled", Fixtures.trial(race.trials.get("4")).getString("status"));
            assertTrue(Fixtures.trial(race.trials.get("4"))
                    .getString("failure_reason")
                    .contains("stopped by the Pareto race"));

            // rung by rung, as long as the race asks; each trial answers the share it was asked for
            int rung = 1;
            while (rung < RaceFixture.FRACTIONS.size()) {
                double fraction = RaceFixture.FRACTIONS.get(rung);
                List<String> asked = askedFor(trials, race, ids, rung);
                for (String id : asked) {
                    race.send(sender, id, fraction);
                }
                int next = rung + 1;
                if (next < RaceFixture.FRACTIONS.size()) {
                    Eventually.assertThat(() ->
                            assertEquals(next, RaceFixture.race(race.sweepId).getInt("rung")));
                }
                rung = next;
            }
        }
        Eventually.assertThat(
                () -> assertEquals("completed", Fixtures.sweep(race.sweepId).getString("status")));

        JsonPath summary = RaceFixture.race(race.sweepId);
        long raceQuestions = summary.getLong("evaluated_questions");
        long gridQuestions = (long) RaceFixture.QUESTIONS * ids.size();
        assertEquals(gridQuestions, summary.getLong("grid_questions"));
        assertTrue(raceQuestions < gridQuestions, raceQuestions + " questions against the grid's " + gridQuestions);
        assertTrue(summary.getLong("entrants.stopped") >= 1);

        List<ParetoFront.Point> grid = new ArrayList<>();
        race.trials.forEach((label, id) -> grid.add(new ParetoFront.Point(id, tokens(label), race.accuracy(id))));
        Set<String> gridFront =
                ParetoFront.of(grid).stream().map(ParetoFront.Point::id).collect(Collectors.toCollection(TreeSet::new));
        JsonPath results = RestAssured.given()
                .get("/sweeps/" + race.sweepId + "/results")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Map<String, Object>> rows = results.getList("results");
        Set<String> raceFront = rows.stream()
                .filter(r -> Boolean.TRUE.equals(((Map<?, ?>) r.get("on_front")).get("tokens")))
                .map(r -> (String) r.get("trial_id"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(gridFront, raceFront);
        assertNull(rows.stream()
                .filter(r -> r.get("trial_id").equals(race.trials.get("4")))
                .findAny()
                .orElse(null));
        theResultsPageShowsTheRace(race);
    }

    /** The results page lists every decision; the stop names the trial that dominated it, with the interval. */
    private static void theResultsPageShowsTheRace(RaceFixture race) throws Exception {
        assumeTrue(ResultsStatisticsTest.onPath("chromium"), "chromium is not installed (apt-get install chromium)");
        String html = ResultsStatisticsTest.dom("http://127.0.0.1:" + RestAssured.port + "/#/sweeps/" + race.sweepId);
        int start = html.indexOf("id=\"race-section\"");
        assertTrue(start >= 0, html);
        String section = html.substring(start, html.indexOf("</section>", start));
        assertTrue(!section.substring(0, section.indexOf('>')).contains("hidden"), "the race is shown: " + section);
        assertTrue(section.contains("Questions answered: "), section);
        int stopRow = section.indexOf("class=\"race-stopped\"");
        assertTrue(stopRow >= 0, "a stopped row: " + section);
        String row = section.substring(stopRow, section.indexOf("</tr>", stopRow));
        assertTrue(row.contains(race.trials.get("4")) && row.contains(race.trials.get("8")), row);
        assertTrue(row.matches("(?s).*\\+\\d+\\.\\d\\d \\[\\d+\\.\\d\\d, \\d+\\.\\d\\d\\].*"), row);
    }

    /**
     * The trials asked for rung {@code rung}: exactly those promoted by the rung before, once each (the last rung
     * asks for the whole set, a null fraction on the wire).
     */
    static List<String> askedFor(TopicReader trials, RaceFixture race, List<String> ids, int rung) {
        Double fraction = rung == RaceFixture.FRACTIONS.size() - 1 ? null : RaceFixture.FRACTIONS.get(rung);
        List<Map<String, Object>> decisions = RaceFixture.race(race.sweepId).getList("decisions");
        Set<String> promoted = decisions.stream()
                .filter(d -> ((Number) d.get("rung")).intValue() == rung - 1 && "promoted".equals(d.get("outcome")))
                .map(d -> (String) d.get("trial_id"))
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> asked = new ArrayList<>();
        Eventually.assertThat(() -> {
            asked.clear();
            RaceFixture.requests(trials.recordsFor(ids, 0, Duration.ZERO, Duration.ofMillis(300)), race.sweepId)
                    .stream()
                    .filter(r -> java.util.Objects.equals(fraction, r.evalFraction()))
                    .forEach(r -> asked.add(r.trialId()));
            assertEquals(promoted, new TreeSet<>(asked), "the trials asked for rung " + rung);
        });
        assertEquals(promoted.size(), asked.size(), "a trial was asked twice: " + asked);
        return asked;
    }

    private static List<Map<String, Object>> stops(JsonPath race) {
        List<Map<String, Object>> decisions = race.getList("decisions");
        return decisions.stream()
                .filter(d -> "stopped".equals(d.get("outcome")))
                .toList();
    }

    private static double tokens(String label) {
        return switch (label) {
            case "none" -> 17;
            case "2" -> 9;
            case "4" -> 5;
            default -> 3;
        };
    }
}
