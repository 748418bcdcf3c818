package ai.vtc.scheduler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The rung rule: dominated with confidence stops, except the uncompressed reference, which may still stop others. */
class RungDecisionTest {
    private static final int QUESTIONS = 200;

    /** {@code right} of the rung's questions answered right, the first ones. */
    private static double[] scores(int right) {
        double[] scores = new double[QUESTIONS];
        Arrays.fill(scores, 0, right, 1.0);
        return scores;
    }

    private static Map<String, RungDecision.Verdict> decide(RungDecision.Entrant... entrants) {
        return RungDecision.decide(List.of(entrants), 0.95).stream()
                .collect(Collectors.toMap(RungDecision.Verdict::trialId, Function.identity()));
    }

    @Test
    void aDominatedTrialStopsWithItsEvidence() {
        Map<String, RungDecision.Verdict> verdicts = decide(
                new RungDecision.Entrant("cheap-good", 5, scores(160), false),
                new RungDecision.Entrant("dear-bad", 17, scores(80), false));
        assertFalse(verdicts.get("cheap-good").stopped());
        RungDecision.Verdict stopped = verdicts.get("dear-bad");
        assertTrue(stopped.stopped());
        assertEquals("cheap-good", stopped.dominatedBy());
        assertEquals(40.0, stopped.difference().estimate(), 1e-9);
        assertTrue(stopped.difference().lower() > 0, stopped.difference().toString());
    }

    @Test
    void theUncompressedReferenceGoesOnWhenDominatedAndStillStopsOthers() {
        Map<String, RungDecision.Verdict> verdicts = decide(
                new RungDecision.Entrant("cheap-good", 5, scores(160), false),
                new RungDecision.Entrant("none", 17, scores(80), true),
                new RungDecision.Entrant("dearer-worse", 20, scores(40), false));
        RungDecision.Verdict reference = verdicts.get("none");
        assertFalse(reference.stopped(), "the reference runs the whole evaluation set");
        assertNull(reference.difference());
        assertTrue(verdicts.get("dearer-worse").stopped());
        assertEquals("cheap-good", verdicts.get("dearer-worse").dominatedBy(), "the strongest evidence is kept");

        Map<String, RungDecision.Verdict> withoutCheap = decide(
                new RungDecision.Entrant("none", 17, scores(80), true),
                new RungDecision.Entrant("dearer-worse", 20, scores(40), false));
        assertEquals("none", withoutCheap.get("dearer-worse").dominatedBy(), "the reference stops what it dominates");
    }
}
