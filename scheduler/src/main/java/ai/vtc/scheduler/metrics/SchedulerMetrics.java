package ai.vtc.scheduler.metrics;

import ai.vtc.contracts.MetricNames;
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

    /** One event received and what it did ({@code applied}, {@code duplicate}, {@code stale}, ...). */
    public void event(String type, String outcome) {
        Counter.builder(MetricNames.SCHEDULER_EVENTS)
                .description("trial and evaluation events received")
                .tags(Tags.of(MetricNames.TAG_TYPE, type, MetricNames.TAG_OUTCOME, outcome))
                .register(registry)
                .increment();
    }

    public Timer submitTimer(String outcome) {
        return Timer.builder(MetricNames.SCHEDULER_SUBMIT_DURATION)
                .description("accepting a sweep: validate, expand, store")
                .tags(Tags.of(MetricNames.TAG_OUTCOME, outcome))
                .register(registry);
    }

    /** {@code CheckpointSaved} to {@code checkpoint_saved}. */
    public static String typeName(Class<?> type) {
        return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
