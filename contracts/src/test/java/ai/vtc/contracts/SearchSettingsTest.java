package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchSettingsTest {
    @Test
    void aSweepWithoutSearchIsAGrid() throws IOException {
        SweepSpec spec = SweepSpecs.parse(SweepSpecsTest.designExample()).orThrow();
        assertEquals(SearchSettings.GRID_SEARCH, spec.search());
        assertFalse(spec.search().isRace());
    }

    @Test
    void aRaceResolvesItsDefaultsAndSurvivesJson() throws IOException {
        String yaml = SweepSpecsTest.designExample() + "search: {strategy: pareto_race}\n";
        SweepSpec spec = SweepSpecs.parse(yaml).orThrow();
        assertEquals(new SearchSettings("pareto_race", List.of(0.1, 0.3, 1.0), 0.95), spec.search());
        assertEquals(spec, Json.read(Json.write(spec), SweepSpec.class));
    }

    @Test
    void aRaceKeepsItsOwnRungsAndConfidence() throws IOException {
        String yaml = SweepSpecsTest.designExample()
                + "search: {strategy: pareto_race, fractions: [0.25, 1.0], confidence: 0.9}\n";
        SearchSettings search = SweepSpecs.parse(yaml).orThrow().search();
        assertTrue(search.isRace());
        assertEquals(0.25, search.fraction(0));
        assertTrue(search.isLastRung(1));
        assertEquals(0.9, search.confidence());
    }

    @Test
    void aStoredSpecWithoutSearchReadsAsAGrid() {
        SweepSpec spec = Json.read("{\"name\":\"old\"}", SweepSpec.class);
        assertEquals(SearchSettings.GRID_SEARCH, spec.search());
    }

    @Test
    void prefixesRoundUpAndStayWithinTheSet() {
        assertEquals(10, SearchSettings.prefixSize(0.1, 100));
        assertEquals(11, SearchSettings.prefixSize(0.1, 101));
        assertEquals(30, SearchSettings.prefixSize(0.3, 100)); // 0.3 * 100 is 30.000000000000004 in doubles
        assertEquals(1, SearchSettings.prefixSize(0.01, 5));
        assertEquals(7, SearchSettings.prefixSize(1.0, 7));
    }
}
