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
    void oneSeedHasNoSpread() {
        SeedSpread one = SeedSpread.of(new double[] {61.25});
        assertEquals(61.25, one.mean());
        assertNull(one.sd());
        assertThrows(IllegalArgumentException.class, () -> SeedSpread.of(new double[0]));
    }
}
