package ai.vtc.worker.metrics;

import ai.vtc.contracts.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Counter skippedSteps;
    private final Map<String, double[]> training = new ConcurrentHashMap<>();

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
        this.skippedSteps = Counter.builder(MetricNames.WORKER_SKIPPED_STEPS).register(registry);
        for (TrialOutcome outcome : TrialOutcome.values()) {
            trials(outcome);
        }
    }

    public void trialStarted() {
        running.incrementAndGet();
    }

    /** A request of a trial that another worker runs under a live lease, left alone. */
    public void leftAlone() {
        registry.counter(MetricNames.WORKER_TRIALS_LEFT_ALONE).increment();
    }

    public void trialEnded(TrialOutcome outcome) {
        running.decrementAndGet();
        trials(outcome).increment();
    }

    /**
     * The running trial's last training loss and learning rate, as gauges tagged with the trial (Grafana's "training
     * loss" and "learning rate per running trial" panels); both series go when the trial ends.
     */
    public void training(String trialId, double loss, double learningRate) {
        double[] values = training.computeIfAbsent(trialId, id -> {
            double[] holder = new double[] {Double.NaN, Double.NaN};
            Tags tags = Tags.of(MetricNames.TAG_TRIAL, id);
            registry.gauge(MetricNames.WORKER_TRIAL_LOSS, tags, holder, h -> h[0]);
            registry.gauge(MetricNames.WORKER_TRIAL_LEARNING_RATE, tags, holder, h -> h[1]);
            return holder;
        });
        values[0] = loss;
        values[1] = learningRate;
    }

    /** Removes the trial's training gauges. */
    public void trainingEnded(String trialId) {
        if (training.remove(trialId) == null) {
            return;
        }
        Tags tags = Tags.of(MetricNames.TAG_TRIAL, trialId);
        for (String name : new String[] {MetricNames.WORKER_TRIAL_LOSS, MetricNames.WORKER_TRIAL_LEARNING_RATE}) {
            Meter gauge = registry.find(name).tags(tags).gauge();
            if (gauge != null) {
                registry.remove(gauge);
            }
        }
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

    /** An fp16 optimizer step was skipped: a gradient overflowed and the loss scale was lowered. */
    public void stepSkipped() {
        skippedSteps.increment();
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
