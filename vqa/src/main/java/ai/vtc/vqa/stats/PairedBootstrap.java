package ai.vtc.vqa.stats;

import ai.vtc.vqa.internal.SplitMix64;
import java.util.Arrays;

/**
 * Percentile bootstrap confidence intervals over questions, for one accuracy and for the paired difference of two
 * trials that answered the same questions. The resampling unit is the question: each resample draws n question
 * indices uniformly with replacement, and a paired resample uses the same indices for both trials, so what the two
 * share (easy and hard questions) cancels. The interval is the percentile interval: the resampled statistics sorted,
 * lower bound at rank floor(alpha/2 * B), upper bound at rank ceil((1 - alpha/2) * B) - 1 (0-based).
 *
 * <p>The draws depend only on the seed and n (SplitMix64, never the JVM's generators), so the same seed gives the same
 * interval on any machine, and every trial of a sweep compared with the same seed sees the same resamples. Written by
 * hand: the maintained Java statistics libraries (Commons Math, Hipparchus) offer no bootstrap. Accuracies are on the
 * scale of their inputs (per-question VQA accuracy in [0, 1] times 100 gives percent).
 */
public final class PairedBootstrap {
    /** The evaluator's default: 2,000 resamples, a 95% interval, seed 0. */
    public static final PairedBootstrap DEFAULT = new PairedBootstrap(2000, 0.95, 0);

    private final int resamples;
    private final double confidence;
    private final long seed;

    /**
     * @param resamples B, at least 1,000
     * @param confidence the interval's coverage, in (0, 1)
     * @param seed the resampling stream
     */
    public PairedBootstrap(int resamples, double confidence, long seed) {
        if (resamples < 1000) {
            throw new IllegalArgumentException(
                    "at least 1000 resamples are needed for a 95% interval, got " + resamples);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        this.resamples = resamples;
        this.confidence = confidence;
        this.seed = seed;
    }

    public int resamples() {
        return resamples;
    }

    public double confidence() {
        return confidence;
    }

    public long seed() {
        return seed;
    }

    /**
     * An estimate with its interval.
     *
     * @param estimate the statistic on the observed data (a mean, or a difference of means)
     * @param lower lower bound of the interval
     * @param upper upper bound of the interval
     */
    public record Interval(double estimate, double lower, double upper) {
        /** True when the interval lies entirely above or below zero. */
        public boolean excludesZero() {
            return lower > 0 || upper < 0;
        }

        /** This interval with every value multiplied by {@code factor} (e.g. 100 for percent). */
        public Interval scaled(double factor) {
            return new Interval(estimate * factor, lower * factor, upper * factor);
        }
    }

    /** The mean of {@code scores} with its interval. */
    public Interval mean(double[] scores) {
        requireQuestions(scores.length);
        return interval(average(scores), resampledMeans(scores, null));
    }

    /**
     * mean(a) - mean(b) with its interval, where a[i] and b[i] are two trials' scores on the same question i.
     *
     * @throws IllegalArgumentException when the arrays differ in length (the trials did not answer the same questions)
     */
    public Interval difference(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "a paired interval needs the same questions: " + a.length + " scores against " + b.length);
        }
        requireQuestions(a.length);
        return interval(average(a) - average(b), resampledMeans(a, b));
    }

    /** B resampled means of a (or of a - b when b is given), in resample order. */
    private double[] resampledMeans(double[] a, double[] b) {
        int n = a.length;
        double[] diff = a;
        if (b != null) {
            diff = new double[n];
            for (int i = 0; i < n; i++) {
                diff[i] = a[i] - b[i];
            }
        }
        SplitMix64 random = SplitMix64.forItem(seed, n);
        double[] out = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += diff[random.nextInt(n)];
            }
            out[r] = sum / n;
        }
        return out;
    }

    private Interval interval(double estimate, double[] resampled) {
        double[] sorted = resampled.clone();
        Arrays.sort(sorted);
        double tail = (1 - confidence) / 2;
        int lower = (int) Math.floor(tail * resamples);
        int upper = (int) Math.ceil((1 - tail) * resamples) - 1;
        return new Interval(estimate, sorted[lower], sorted[upper]);
    }

    private static double average(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static void requireQuestions(int n) {
        if (n == 0) {
            throw new IllegalArgumentException("an interval needs at least one question");
        }
    }
}
