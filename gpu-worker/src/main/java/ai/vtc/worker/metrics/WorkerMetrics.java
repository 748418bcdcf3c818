package ai.vtc.worker.metrics;

import ai.vtc.contracts.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The worker's meters (names in {@link MetricNames}); registered at start so every series exists from the start. */
@ApplicationScoped
public class WorkerMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicReference<Double> samplesPerSecond = new AtomicReference<>(0.0);
    private final Timer stepDuration;
    private final DistributionSummary checkpointBytes;
    private final Timer checkpointDuration;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge(MetricNames.WORKER_TRIALS_RUNNING, running);
        registry.gauge(MetricNames.WORKER_SAMPLES_PER_SECOND, Tags.empty(), samplesPerSecond, AtomicReference::get);
        registry.gauge(
                MetricNames.WORKER_DEVICE_MEMORY, Tags.of(MetricNames.TAG_DEVICE, "cpu"), this, m -> residentBytes());
        this.stepDuration = Timer.builder(MetricNames.WORKER_STEP_DURATION).register(registry);
        this.checkpointBytes =
                DistributionSummary.builder(MetricNames.WORKER_CHECKPOINT_BYTES).register(registry);
        this.checkpointDuration =
                Timer.builder(MetricNames.WORKER_CHECKPOINT_DURATION).register(registry);
        for (TrialOutcome outcome : TrialOutcome.values()) {
            trials(outcome);
        }
    }

    public void trialStarted() {
        running.incrementAndGet();
    }

    public void trialEnded(TrialOutcome outcome) {
        running.decrementAndGet();
        trials(outcome).increment();
    }

    private Counter trials(TrialOutcome outcome) {
        return Counter.builder(MetricNames.WORKER_TRIALS)
                .tag(MetricNames.TAG_OUTCOME, outcome.tag())
                .register(registry);
    }

    /** {@code steps} optimizer steps took {@code elapsed} in all. */
    public void steps(long steps, Duration elapsed, double samplesPerSecond) {
        for (long i = 0; i < steps; i++) {
            stepDuration.record(elapsed.dividedBy(steps));
        }
        this.samplesPerSecond.set(samplesPerSecond);
    }

    public void idle() {
        samplesPerSecond.set(0.0);
    }

    public void checkpoint(long bytes, Duration elapsed) {
        checkpointBytes.record(bytes);
        checkpointDuration.record(elapsed);
    }

    /** Resident memory of this process: on CPU the model, optimizer and activations live there. */
    private static double residentBytes() {
        try {
            String[] statm =
                    Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
