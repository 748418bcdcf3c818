package ai.vtc.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The scheduler's own settings (prefix {@code scheduler}). */
@ConfigMapping(prefix = "scheduler")
public interface SchedulerConfig {
    /** Token every change (POST) must carry as {@code Authorization: Bearer <token>}; required in production. */
    String apiToken();

    /** Most trials one sweep may expand to (grid x seeds); larger sweeps are rejected. */
    @WithDefault("10000")
    int maxTrialsPerSweep();

    /** Limits on the submitted YAML. */
    Spec spec();

    /** The transactional outbox and its relay to Kafka. */
    Outbox outbox();

    /** Lifetime of the presigned checkpoint download URLs. */
    @WithDefault("1h")
    Duration presignExpiry();

    /** A worker that still reports on a cancelled trial is told again at most this often. */
    @WithDefault("30s")
    Duration cancelResendInterval();

    /** The {@code sweep.trials} gauges. */
    Metrics metrics();

    interface Spec {
        /** Largest sweep YAML in bytes. */
        @WithDefault("65536")
        int maxBytes();

        /** Deepest nesting of mappings and lists. */
        @WithDefault("16")
        int maxDepth();

        /** Most {@code *alias} references. */
        @WithDefault("32")
        int maxAliases();

        /** Most values in the document, counting alias expansions. */
        @WithDefault("20000")
        int maxNodes();

        /** Largest {@code train.batch_size} and {@code eval.batch_size} (contracts' {@code SpecBounds}). */
        @WithDefault("256")
        int maxBatchSize();

        /** Most {@code eval.num_beams}. */
        @WithDefault("16")
        int maxBeams();

        /** Most {@code train.max_steps}. */
        @WithDefault("1000000")
        int maxSteps();

        /** Most {@code train.epochs}. */
        @WithDefault("1000")
        int maxEpochs();

        /** Most {@code eval.max_new_tokens}. */
        @WithDefault("1024")
        int maxNewTokens();

        /** Longest {@code eval.prompt} in characters. */
        @WithDefault("1000")
        int maxPromptChars();
    }

    interface Outbox {
        /** Run the relay that publishes outbox rows; off only to simulate a crash between accept and publish. */
        @WithDefault("true")
        boolean enabled();

        /** Rows published per transaction. */
        @WithDefault("5000")
        int batchSize();

        /** How often the relay looks for rows when nobody woke it. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Pause after a failed publication (broker away) before trying again. */
        @WithDefault("2s")
        Duration retryBackoff();
    }

    interface Metrics {
        /** How often the per-sweep gauges are recomputed. */
        @WithDefault("10s")
        Duration refreshInterval();

        /** Gauges are kept for this many most recent sweeps. */
        @WithDefault("50")
        int sweeps();
    }
}
