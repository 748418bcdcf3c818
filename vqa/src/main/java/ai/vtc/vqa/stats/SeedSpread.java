package ai.vtc.vqa.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One setting's accuracy across the seeds it ran with: the mean and the sample standard deviation (n - 1 in the
 * denominator), which says how much of a difference between settings the choice of seed alone can make.
 *
 * @param seeds how many accuracies (one per seed)
 * @param mean their mean
 * @param sd their sample standard deviation; null for a single seed, where it is undefined
 */
public record SeedSpread(int seeds, double mean, Double sd) {

    /** This spread with mean and standard deviation rounded to 2 decimals, as accuracies are reported. */
    public SeedSpread rounded() {
        return new SeedSpread(seeds, round(mean), sd == null ? null : round(sd));
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    /**
     * The spread of every setting's accuracies: {@code trials} grouped by {@code setting} (what the trials of one
     * setting share across seeds), in the order the settings first appear.
     */
    public static <T, K> Map<K, SeedSpread> bySetting(
            Collection<T> trials, Function<T, K> setting, ToDoubleFunction<T> accuracy) {
        Map<K, List<T>> groups = new LinkedHashMap<>();
        for (T trial : trials) {
            groups.computeIfAbsent(setting.apply(trial), k -> new ArrayList<>()).add(trial);
        }
        Map<K, SeedSpread> spreads = new LinkedHashMap<>();
        groups.forEach((key, members) ->
                spreads.put(key, of(members.stream().mapToDouble(accuracy).toArray())));
        return spreads;
    }

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
