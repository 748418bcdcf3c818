package ai.vtc.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.vtc.contracts.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The per-trial training gauges the dashboard's loss and learning-rate panels read. */
class WorkerMetricsTest {
    @Test
    void aRunningTrialsLossAndLearningRateAreGaugesUntilItEnds() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WorkerMetrics metrics = new WorkerMetrics(registry);
        metrics.training("t1", 2.5, 3e-4);
        metrics.training("t1", 1.5, 2e-4);
        metrics.training("t2", 0.5, 1e-4);
        assertEquals(1.5, gauge(registry, MetricNames.WORKER_TRIAL_LOSS, "t1").value());
        assertEquals(
                2e-4,
                gauge(registry, MetricNames.WORKER_TRIAL_LEARNING_RATE, "t1").value());
        assertEquals(0.5, gauge(registry, MetricNames.WORKER_TRIAL_LOSS, "t2").value());
        metrics.trainingEnded("t1");
        assertNull(gauge(registry, MetricNames.WORKER_TRIAL_LOSS, "t1"));
        assertNull(gauge(registry, MetricNames.WORKER_TRIAL_LEARNING_RATE, "t1"));
        assertEquals(0.5, gauge(registry, MetricNames.WORKER_TRIAL_LOSS, "t2").value());
        metrics.trainingEnded("never-trained"); // a training-free trial has no gauges to remove
    }

    private static Gauge gauge(SimpleMeterRegistry registry, String name, String trial) {
        return registry.find(name).tag(MetricNames.TAG_TRIAL, trial).gauge();
    }
}
