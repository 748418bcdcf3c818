package ai.vtc.vqa.stats;

/**
 * One setting's accuracy across the seeds it ran with: the mean and the sample standard deviation (n - 1 in the
 * denominator), which says how much of a difference between settings the choice of seed alone can make.
 *
 * @param seeds how many accuracies (one per seed)
 * @param mean their mean
 * @param sd their sample standard deviation; null for a single seed, where it is undefined
 */
public record SeedSpread(int seeds, double mean, Double sd) {

    /**
     * The spread of {@code accuracies}, one per seed.
     *
     * @throws IllegalArgumentException when there is none
     */
    public static SeedSpread of(double[] accuracies) {
        int n = accuracies.length;
        if (n == 0) {
            throw new IllegalArgumentException("a spread across seeds needs at least one accuracy");
        }
        double sum = 0;
        for (double a : accuracies) {
            sum += a;
        }
        double mean = sum / n;
        if (n == 1) {
            return new SeedSpread(1, mean, null);
        }
        double squares = 0;
        for (double a : accuracies) {
            squares += (a - mean) * (a - mean);
        }
        return new SeedSpread(n, mean, Math.sqrt(squares / (n - 1)));
    }
}
