package ai.vtc.vqa.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SeedSpreadTest {
    @Test
    void meanAndSampleStandardDeviation() {
        SeedSpread three = SeedSpread.of(new double[] {60.0, 62.0, 64.0});
        assertEquals(3, three.seeds());
        assertEquals(62.0, three.mean(), 1e-12);
        assertEquals(2.0, three.sd(), 1e-12); // sqrt((4 + 0 + 4) / 2)
    }

    @Test
    void settingsAreGroupedByWhatTheirTrialsShare() {
        record Trial(String setting, double accuracy) {}
        var spreads = SeedSpread.bySetting(
                java.util.List.of(new Trial("b", 50), new Trial("a", 60), new Trial("b", 54)),
                Trial::setting,
                Trial::accuracy);
        assertEquals(java.util.List.of("b", "a"), java.util.List.copyOf(spreads.keySet()));
        assertEquals(new SeedSpread(2, 52.0, Math.sqrt(8)), spreads.get("b"));
        assertEquals(new SeedSpread(1, 60.0, null), spreads.get("a"));
        assertEquals(new SeedSpread(2, 52.0, 2.83), spreads.get("b").rounded());
    }

    @Test
    void oneSeedHasNoSpread() {
        SeedSpread one = SeedSpread.of(new double[] {61.25});
        assertEquals(61.25, one.mean());
        assertNull(one.sd());
        assertThrows(IllegalArgumentException.class, () -> SeedSpread.of(new double[0]));
    }
}
