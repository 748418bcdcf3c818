package ai.vtc.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The evaluator's settings (environment variables {@code EVALUATOR_...}). */
@ConfigMapping(prefix = "evaluator")
public interface EvaluatorConfig {
    /** Sweeps with at most this many evaluated trials get {@code vqa_trial_info} series with a trial label. */
    @WithDefault("64")
    int trialLabelLimit();

    /** Dataset splits (questions + annotations) kept in memory between evaluations. */
    @WithDefault("2")
    int cachedSplits();

    /** How an evaluation waits out a database or object store that does not answer. */
    Retry retry();

    /**
     * An evaluation that fails because PostgreSQL or object storage is away (or the broker does not take the
     * announcement) is made again after a pause, until it succeeds: it is never stored as FAILED, dead-lettered or
     * committed for that.
     */
    interface Retry {
        /** The pause after the first failure; it doubles after each. */
        @WithDefault("250ms")
        Duration firstPause();

        /** The longest pause between two tries. */
        @WithDefault("5s")
        Duration maxPause();

        /** After failing this long the evaluator reports itself DOWN ({@code /q/health}) and goes on trying. */
        @WithDefault("60s")
        Duration unhealthyAfter();
    }
}
