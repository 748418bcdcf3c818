package ai.vtc.optim;

/**
 * A learning rate as a function of the number of optimizer steps already taken (0 for the first step), as the
 * {@code LambdaLR} schedules of Hugging Face transformers are: {@code lr(step) = peak * factor(step)}. Pure functions:
 * the position lives in {@link Scheduler}, so resuming needs only the step number.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    double learningRate(long step);

    /**
     * beta1 for this step when the schedule cycles momentum (one-cycle), otherwise NaN meaning "leave the optimizer's
     * beta1 alone".
     */
    default double beta1(long step) {
        return Double.NaN;
    }

    /** {@code get_constant_schedule_with_warmup}: linear warm-up from 0, then {@code peak}. */
    static LearningRateSchedule constant(double peak, long warmupSteps) {
        check(peak, warmupSteps, warmupSteps);
        return step -> step < warmupSteps ? peak * warmup(step, warmupSteps) : peak;
    }

    /** {@code get_linear_schedule_with_warmup}: warm-up, then linear decay to 0 at {@code totalSteps}. */
    static LearningRateSchedule linear(double peak, long warmupSteps, long totalSteps) {
        check(peak, warmupSteps, totalSteps);
        return step -> {
            if (step < warmupSteps) {
                return peak * warmup(step, warmupSteps);
            }
            return peak * Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
        };
    }

    /** {@code get_cosine_schedule_with_warmup} with half a cosine period (decays to 0 at {@code totalSteps}). */
    static LearningRateSchedule cosine(double peak, long warmupSteps, long totalSteps) {
        return cosine(peak, warmupSteps, totalSteps, 0.5);
    }

    /** {@code get_cosine_schedule_with_warmup} with {@code numCycles} cosine periods after the warm-up. */
    static LearningRateSchedule cosine(double peak, long warmupSteps, long totalSteps, double numCycles) {
        check(peak, warmupSteps, totalSteps);
        return step -> {
            if (step < warmupSteps) {
                return peak * warmup(step, warmupSteps);
            }
            double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
            return peak * Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * numCycles * 2.0 * progress)));
        };
    }

    /** {@code torch.optim.lr_scheduler.OneCycleLR} with its defaults (see {@link OneCycle}). */
    static OneCycle oneCycle(double maxLr, long totalSteps) {
        return OneCycle.withDefaults(maxLr, totalSteps);
    }

    private static double warmup(long step, long warmupSteps) {
        return (double) step / Math.max(1, warmupSteps);
    }

    private static void check(double peak, long warmupSteps, long totalSteps) {
        Checks.nonNegative("learning rate", peak);
        if (warmupSteps < 0 || totalSteps < warmupSteps) {
            throw new IllegalArgumentException(
                    "need 0 <= warmupSteps <= totalSteps, got warmup " + warmupSteps + ", total " + totalSteps);
        }
    }
}
