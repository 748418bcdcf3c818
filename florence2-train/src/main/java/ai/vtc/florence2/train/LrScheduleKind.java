package ai.vtc.florence2.train;

import ai.vtc.optim.LearningRateSchedule;
import ai.vtc.optim.OneCycle;
import java.util.Locale;

/** The learning-rate schedule of a training run (transformers' schedules with warm-up, or torch's OneCycleLR). */
public enum LrScheduleKind {
    CONSTANT,
    LINEAR,
    COSINE,
    /** torch's OneCycleLR (cosine, momentum cycling); the warm-up steps set its rising phase (default 30%). */
    ONE_CYCLE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LrScheduleKind parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (LrScheduleKind k : values()) {
            if (k.id().equals(t) || (k == ONE_CYCLE && t.equals("onecycle"))) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "lr_schedule must be one of constant, linear, cosine, one_cycle, got \"" + text + "\"");
    }

    /** The schedule for a run of {@code totalSteps} optimizer steps. */
    public LearningRateSchedule create(double peak, long warmupSteps, long totalSteps) {
        if (warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException(
                    "warmup_steps must be in 0.." + totalSteps + " (the run's steps), got " + warmupSteps);
        }
        return switch (this) {
            case CONSTANT -> LearningRateSchedule.constant(peak, warmupSteps);
            case LINEAR -> LearningRateSchedule.linear(peak, warmupSteps, totalSteps);
            case COSINE -> LearningRateSchedule.cosine(peak, warmupSteps, totalSteps);
            case ONE_CYCLE -> {
                double pct = warmupSteps > 0 ? (double) warmupSteps / totalSteps : 0.3;
                if (pct * totalSteps <= 1 || pct >= 1) {
                    throw new IllegalArgumentException("lr_schedule one_cycle needs 1 < warm-up steps < total steps"
                            + " (got warm-up " + pct * totalSteps + " of " + totalSteps + ")");
                }
                yield new OneCycle(peak, totalSteps, pct, 25, 1e4, true, 0.85, 0.95);
            }
        };
    }
}
