package ai.vtc.dataset.metrics;

import ai.vtc.contracts.MetricNames;
import ai.vtc.dataset.persistence.JobKind;
import ai.vtc.dataset.persistence.JobState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/** The dataset service's meters (names in {@link MetricNames}). */
@ApplicationScoped
public class IngestMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger running = new AtomicInteger();
    private final Counter images;
    private final Counter imageBytes;
    private final Counter subsets;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge(MetricNames.DATASETS_JOBS_RUNNING, running);
        this.images = registry.counter(MetricNames.DATASETS_IMAGES_INGESTED);
        this.imageBytes = registry.counter(MetricNames.DATASETS_IMAGE_BYTES_INGESTED);
        this.subsets = registry.counter(MetricNames.DATASETS_SUBSETS_CREATED);
    }

    public void jobStarted() {
        running.incrementAndGet();
    }

    public void jobEnded() {
        running.decrementAndGet();
    }

    /** A job of {@code kind} ended {@link JobState#SUCCEEDED} or {@link JobState#FAILED}. */
    public void jobFinished(JobKind kind, JobState outcome) {
        registry.counter(
                        MetricNames.DATASETS_JOBS,
                        MetricNames.TAG_KIND,
                        kind.label(),
                        MetricNames.TAG_OUTCOME,
                        outcome.label())
                .increment();
    }

    public void imageIngested(long bytes) {
        images.increment();
        imageBytes.increment(bytes);
    }

    public void subsetCreated() {
        subsets.increment();
    }
}
