package ai.vtc.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class RaceStatusTest {
    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void showsTheRungTheQuestionsAgainstTheGridAndEveryStopWithItsEvidence() throws Exception {
        JsonNode race = json("{'sweep_id': 's-1', 'fractions': [0.25, 0.5, 1.0], 'confidence': 0.95, 'rung': 1,"
                + " 'entrants': {'racing': 3, 'evaluated': 0, 'stopped': 1, 'final': 0, 'outside': 0},"
                + " 'evaluated_questions': 200, 'grid_questions': 800, 'decisions': ["
                + " {'rung': 0, 'questions': 50, 'trial_id': 't4', 'setting': 'avg_pool f=4', 'training': 'fine_tune',"
                + "  'visual_tokens': 5, 'accuracy': 20.0, 'outcome': 'stopped', 'dominated_by': 't8',"
                + "  'dominated_by_setting': 'avg_pool f=8 (fine_tune)', 'difference': 44.0, 'lower': 30.5,"
                + "  'upper': 58.0},"
                + " {'rung': 0, 'questions': 50, 'trial_id': 't8', 'outcome': 'promoted'}]}");
        String text = RaceStatus.render(race);
        assertTrue(text.contains("pareto race: rung 2 of 3 (fractions 0.25, 0.5, 1.0, 95% confidence)"), text);
        assertTrue(text.contains("3 racing, 1 stopped"), text);
        assertTrue(text.contains("questions answered: 200 (the full grid: 800, 25%)"), text);
        assertTrue(text.contains("dominated by t8 avg_pool f=8 (fine_tune): +44.00 [30.50, 58.00]"), text);
        assertFalse(text.contains("t8  "), "a promotion is not listed as a stop: " + text);
    }

    @Test
    void knowsARaceFromItsSpec() throws Exception {
        assertTrue(RaceStatus.isRace(json("{'spec': {'search': {'strategy': 'pareto_race'}}}")));
        assertFalse(RaceStatus.isRace(json("{'spec': {'search': {'strategy': 'grid'}}}")));
        assertFalse(RaceStatus.isRace(json("{'spec': {}}")));
    }
}
