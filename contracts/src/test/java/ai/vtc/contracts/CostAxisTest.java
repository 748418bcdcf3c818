package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CostAxisTest {
    private static final TrialCost MEASURED = new TrialCost(
            145,
            12,
            new TrialCost.Gflops(40, 20, 1.5, 0.75, 61.5),
            new TrialCost.Latency(80, 6.5, 16, 3, "cpu()", "fp32"));

    @Test
    void eachAxisReadsItsPartOfTheCost() {
        assertEquals(145.0, CostAxis.TOKENS.of(145, null));
        assertEquals(145.0, CostAxis.TOKENS.of(null, MEASURED), "the cost's own tokens when the trial has none");
        assertEquals(61.5, CostAxis.GFLOPS.of(145, MEASURED));
        assertEquals(80.0, CostAxis.LATENCY.of(145, MEASURED));
    }

    @Test
    void aCostNotReportedOrNotMeasuredIsUnknown() {
        assertNull(CostAxis.GFLOPS.of(145, null));
        assertNull(CostAxis.LATENCY.of(145, new TrialCost(145, 12, MEASURED.gflops(), null)));
        assertNull(CostAxis.TOKENS.of(null, null));
    }

    @Test
    void axesAreNamedAsInQueriesAndOptions() {
        assertEquals(CostAxis.GFLOPS, CostAxis.byId("gflops"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> CostAxis.byId("watts"));
        assertEquals("cost must be one of [tokens, gflops, latency], not 'watts'", unknown.getMessage());
    }
}
