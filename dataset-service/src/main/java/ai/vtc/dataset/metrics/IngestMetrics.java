package ai.vtc.dataset.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dataset service's meters: {@code datasets.jobs} (counter, tags kind and outcome), {@code datasets.jobs.running}
 * (gauge), {@code datasets.images.ingested} and {@code datasets.image.bytes.ingested} (counters),
 * {@code datasets.subsets.created} (counter).
 */
@ApplicationScoped
public class IngestMetrics {
    public static final String JOBS = "datasets.jobs";
    public static final String JOBS_RUNNING = "datasets.jobs.running";
    public static final String IMAGES = "datasets.images.ingested";
    public static final String IMAGE_BYTES = "datasets.image.bytes.ingested";
    public static final String SUBSETS = "datasets.subsets.created";

    private final MeterRegistry registry;
    private final AtomicInteger running = new AtomicInteger();
    private final Counter images;
    private final Counter imageBytes;
    private final Counter subsets;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge(JOBS_RUNNING, running);
        this.images = registry.counter(IMAGES);
        this.imageBytes = registry.counter(IMAGE_BYTES);
        this.subsets = registry.counter(SUBSETS);
    }

    public void jobStarted() {
        running.incrementAndGet();
    }

    public void jobEnded() {
        running.decrementAndGet();
    }

    /** {@code kind}: synthetic, folder or s3; {@code outcome}: succeeded or failed. */
    public void jobFinished(String kind, String outcome) {
        registry.counter(JOBS, "kind", kind, "outcome", outcome).increment();
    }

    public void imageIngested(long bytes) {
        images.increment();
        imageBytes.increment(bytes);
    }

    public void subsetCreated() {
        subsets.increment();
    }
}
