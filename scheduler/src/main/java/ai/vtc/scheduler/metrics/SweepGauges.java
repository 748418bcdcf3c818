package ai.vtc.scheduler.metrics;

import ai.vtc.contracts.MetricNames;
import ai.vtc.scheduler.config.SchedulerConfig;
import ai.vtc.scheduler.persistence.OutboxEntity;
import ai.vtc.scheduler.persistence.SweepEntity;
import ai.vtc.scheduler.persistence.SweepTrialEntity;
import ai.vtc.scheduler.persistence.TrialStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * {@code sweep.trials{sweep, state}} for the most recent sweeps and {@code scheduler.outbox.pending}, recomputed
 * from PostgreSQL on a timer (so every replica reports the same numbers and nothing drifts).
 */
@ApplicationScoped
public class SweepGauges {
    private static final Logger LOG = Logger.getLogger(SweepGauges.class);

    private final SchedulerConfig config;
    private final MultiGauge trials;
    private final AtomicLong outboxPending = new AtomicLong();
    private ScheduledExecutorService timer;

    public SweepGauges(SchedulerConfig config, MeterRegistry registry) {
        this.config = config;
        this.trials = MultiGauge.builder(MetricNames.SWEEP_TRIALS)
                .description("trials per sweep and state")
                .register(registry);
        Gauge.builder(MetricNames.SCHEDULER_OUTBOX_PENDING, outboxPending, AtomicLong::get)
                .description("records accepted but not yet acknowledged by the broker")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sweep-gauges");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.metrics().refreshInterval().toMillis();
        timer.scheduleWithFixedDelay(this::refreshQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Recomputes every gauge now. */
    public void refresh() {
        QuarkusTransaction.requiringNew().run(() -> {
            List<String> ids = SweepEntity.recent(config.metrics().sweeps()).stream()
                    .map(s -> s.id)
                    .toList();
            Map<String, Map<TrialStatus, Long>> counts = SweepTrialEntity.countsByStatus(ids);
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (String id : ids) {
                Map<TrialStatus, Long> perState = counts.getOrDefault(id, Map.of());
                for (TrialStatus state : TrialStatus.values()) {
                    rows.add(MultiGauge.Row.of(
                            Tags.of(MetricNames.TAG_SWEEP, id, MetricNames.TAG_STATE, state.label()),
                            perState.getOrDefault(state, 0L)));
                }
            }
            trials.register(rows, true);
            outboxPending.set(OutboxEntity.count());
        });
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.debugf("cannot refresh the sweep gauges: %s", e.toString());
        }
    }
}
