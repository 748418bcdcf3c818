package ai.vtc.vqa.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.vqa.internal.SplitMix64;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
    /** VQA-like per-question scores: 0, 1/3, 2/3 or 1, mostly 0 or 1. */
    private static double[] scores(SplitMix64 random, int n, double p) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            out[i] = u < p ? 1.0 : (u < p + 0.05 ? 2.0 / 3 : (u < p + 0.1 ? 1.0 / 3 : 0));
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameIntervalAndAnotherSeedAnother() {
        double[] a = scores(new SplitMix64(1), 500, 0.6);
        double[] b = scores(new SplitMix64(2), 500, 0.5);
        PairedBootstrap.Interval first = new PairedBootstrap(1000, 0.95, 7).difference(a, b);
        PairedBootstrap.Interval again = new PairedBootstrap(1000, 0.95, 7).difference(a, b);
        assertEquals(first, again);
        assertNotEquals(first, new PairedBootstrap(1000, 0.95, 8).difference(a, b));
    }

    @Test
    void theIntervalContainsTheObservedDifferenceWhichIsTheDifferenceOfMeans() {
        SplitMix64 random = new SplitMix64(3);
        for (int round = 0; round < 20; round++) {
            double[] a = scores(random, 300, 0.55);
            double[] b = scores(random, 300, 0.5);
            PairedBootstrap.Interval d = PairedBootstrap.DEFAULT.difference(a, b);
            assertEquals(mean(a) - mean(b), d.estimate(), 1e-12);
            assertTrue(d.lower() <= d.estimate() && d.estimate() <= d.upper(), d.toString());
            PairedBootstrap.Interval m = PairedBootstrap.DEFAULT.mean(a);
            assertEquals(mean(a), m.estimate(), 1e-12);
            assertTrue(m.lower() <= m.estimate() && m.estimate() <= m.upper(), m.toString());
        }
    }

    @Test
    void pairingNarrowsTheIntervalWhenTrialsShareTheirHardQuestions() {
        SplitMix64 random = new SplitMix64(4);
        double[] a = scores(random, 400, 0.6);
        double[] b = a.clone();
        for (int i = 0; i < b.length; i += 10) {
            b[i] = 1 - b[i]; // b differs from a on one question in ten
        }
        PairedBootstrap.Interval paired = PairedBootstrap.DEFAULT.difference(a, b);
        PairedBootstrap.Interval alone = PairedBootstrap.DEFAULT.mean(a);
        // an unpaired difference would be wider than one trial's own interval; the paired one is narrower
        assertTrue(paired.upper() - paired.lower() < alone.upper() - alone.lower(), paired + " against " + alone);
    }

    /**
     * Coverage: two trials whose per-question scores are exchangeable (the true difference is 0) are flagged in about
     * 5% of data sets. With 400 data sets the flagged share has a standard deviation of 1.1 points, so [2%, 9%] is
     * about 3 standard deviations either side (the percentile interval is known to run slightly narrow).
     */
    @Test
    void aTrueDifferenceOfZeroIsFlaggedInAboutFivePercentOfDataSets() {
        SplitMix64 data = new SplitMix64(5);
        int flagged = 0;
        int sets = 400;
        for (int set = 0; set < sets; set++) {
            double[] a = scores(data, 200, 0.5);
            double[] b = scores(data, 200, 0.5);
            if (new PairedBootstrap(1000, 0.95, set).difference(a, b).excludesZero()) {
                flagged++;
            }
        }
        double share = flagged / (double) sets;
        assertTrue(share >= 0.02 && share <= 0.09, "flagged in " + share * 100 + "% of data sets");
    }

    @Test
    void aRealDifferenceIsFlagged() {
        SplitMix64 random = new SplitMix64(6);
        double[] a = scores(random, 1000, 0.7);
        double[] b = scores(random, 1000, 0.5);
        assertTrue(PairedBootstrap.DEFAULT.difference(a, b).excludesZero());
    }

    @Test
    void badInputIsRefusedWithWhatIsWrong() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> PairedBootstrap.DEFAULT.difference(new double[3], new double[4]));
        assertTrue(e.getMessage().contains("3 scores against 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PairedBootstrap(999, 0.95, 0));
        assertThrows(IllegalArgumentException.class, () -> new PairedBootstrap(1000, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.DEFAULT.mean(new double[0]));
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
