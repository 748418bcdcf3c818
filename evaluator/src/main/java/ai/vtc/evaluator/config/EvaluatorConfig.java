package ai.vtc.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The evaluator's settings (environment variables {@code EVALUATOR_...}). */
@ConfigMapping(prefix = "evaluator")
public interface EvaluatorConfig {
    /** Sweeps with at most this many evaluated trials get {@code vqa_trial_info} series with a trial label. */
    @WithDefault("64")
    int trialLabelLimit();

    /** Dataset splits (questions + annotations) kept in memory between evaluations. */
    @WithDefault("2")
    int cachedSplits();
}
