package ai.vtc.scheduler.metrics;

import ai.vtc.contracts.MetricNames;
import ai.vtc.scheduler.persistence.EventOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/** The scheduler's counters and timers (names in {@link MetricNames}). */
@ApplicationScoped
public class SchedulerMetrics {
    private final MeterRegistry registry;

    public SchedulerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One record the outbox relay published to {@code topic}. */
    public void published(String topic) {
        Counter.builder(MetricNames.SCHEDULER_PUBLISHED)
                .description("records the outbox relay published")
                .tags(Tags.of(MetricNames.TAG_TOPIC, topic))
                .register(registry)
                .increment();
    }

    /** One event received and what it did. */
    public void event(String type, EventOutcome outcome) {
        Counter.builder(MetricNames.SCHEDULER_EVENTS)
                .description("trial and evaluation events received")
                .tags(Tags.of(MetricNames.TAG_TYPE, type, MetricNames.TAG_OUTCOME, outcome.label()))
                .register(registry)
                .increment();
    }

    /** One try of an event from {@code channel} that the database could not store now; it is made again. */
    public void retried(String channel) {
        Counter.builder(MetricNames.EVENTS_RETRIED)
                .description("tries of a consumed record that failed on a transient fault and were made again")
                .tags(Tags.of(MetricNames.TAG_CHANNEL, channel))
                .register(registry)
                .increment();
    }

    /** The time of one submission, tagged {@code accepted} or {@code rejected}. */
    public Timer submitTimer(boolean accepted) {
        return Timer.builder(MetricNames.SCHEDULER_SUBMIT_DURATION)
                .description("accepting a sweep: validate, expand, store")
                .tags(Tags.of(MetricNames.TAG_OUTCOME, accepted ? "accepted" : "rejected"))
                .register(registry);
    }

    /** {@code CheckpointSaved} to {@code checkpoint_saved}. */
    public static String typeName(Class<?> type) {
        return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
