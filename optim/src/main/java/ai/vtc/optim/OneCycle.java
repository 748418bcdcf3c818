package ai.vtc.optim;

/**
 * {@code torch.optim.lr_scheduler.OneCycleLR} (two phases, cosine annealing): the learning rate rises from
 * {@code maxLr / divFactor} to {@code maxLr} over the first {@code pctStart} of the steps and then falls to
 * {@code maxLr / divFactor / finalDivFactor} at step {@code totalSteps - 1}; with {@code cycleMomentum} beta1 moves the
 * opposite way between {@code maxMomentum} and {@code baseMomentum}.
 */
public record OneCycle(
        double maxLr,
        long totalSteps,
        double pctStart,
        double divFactor,
        double finalDivFactor,
        boolean cycleMomentum,
        double baseMomentum,
        double maxMomentum)
        implements LearningRateSchedule {

    public OneCycle {
        Checks.nonNegative("maxLr", maxLr);
        Checks.positive("totalSteps", totalSteps);
        if (!(pctStart > 0 && pctStart < 1)) {
            throw new IllegalArgumentException("pctStart must be in (0, 1), got " + pctStart);
        }
        if (!(divFactor > 0) || !(finalDivFactor > 0)) {
            throw new IllegalArgumentException("divFactor and finalDivFactor must be > 0");
        }
        if (pctStart * totalSteps - 1 <= 0 || pctStart * totalSteps >= totalSteps) {
            throw new IllegalArgumentException("pctStart * totalSteps must lie in (1, totalSteps), got "
                    + pctStart * totalSteps + " (torch divides by zero here)");
        }
    }

    /** torch's defaults: pct_start 0.3, div_factor 25, final_div_factor 1e4, momentum cycled 0.95 -> 0.85 -> 0.95. */
    public static OneCycle withDefaults(double maxLr, long totalSteps) {
        return new OneCycle(maxLr, totalSteps, 0.3, 25, 1e4, true, 0.85, 0.95);
    }

    public OneCycle withoutMomentumCycling() {
        return new OneCycle(maxLr, totalSteps, pctStart, divFactor, finalDivFactor, false, baseMomentum, maxMomentum);
    }

    @Override
    public double learningRate(long step) {
        double initial = maxLr / divFactor;
        return interpolate(step, initial, maxLr, initial / finalDivFactor);
    }

    @Override
    public double beta1(long step) {
        return cycleMomentum ? interpolate(step, maxMomentum, baseMomentum, maxMomentum) : Double.NaN;
    }

    /** torch's phase walk: phase ends at pct_start * total - 1 and total - 1; the last phase extrapolates. */
    private double interpolate(long step, double start, double middle, double end) {
        double firstEnd = pctStart * totalSteps - 1;
        double lastEnd = totalSteps - 1;
        if (step <= firstEnd) {
            return annealCos(start, middle, step / firstEnd);
        }
        return annealCos(middle, end, (step - firstEnd) / (lastEnd - firstEnd));
    }

    private static double annealCos(double start, double end, double pct) {
        return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
    }
}
