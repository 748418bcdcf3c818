package ai.vtc.dataset.service;

import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/** The live progress of a running job: its phase and how many of the phase's units are done. Thread-safe. */
public final class JobProgress {
    private static final Logger LOG = Logger.getLogger(JobProgress.class);

    private final String jobId;
    private final String dataset;
    private final AtomicLong done = new AtomicLong();
    private volatile String phase = "queued";
    private volatile long total;
    private volatile long phaseStartNanos = System.nanoTime();
    private long lastLineNanos;
    private long lastLineDone;

    public JobProgress(String jobId, String dataset) {
        this.jobId = jobId;
        this.dataset = dataset;
    }

    /** What the job stores and answers: phase, done and total. */
    public record Snapshot(String phase, long done, long total) {}

    /** Starts {@code phase} with {@code total} units (0 when unknown). */
    public void phase(String phase, long total) {
        synchronized (this) {
            this.phase = phase;
            this.total = total;
            this.done.set(0);
            this.phaseStartNanos = System.nanoTime();
            this.lastLineNanos = phaseStartNanos;
            this.lastLineDone = 0;
        }
        LOG.infof("job %s (dataset %s): %s%s", jobId, dataset, phase, total > 0 ? " (" + total + ")" : "");
    }

    public void advance(long units) {
        done.addAndGet(units);
    }

    public Snapshot snapshot() {
        synchronized (this) {
            return new Snapshot(phase, done.get(), total);
        }
    }

    /** A progress line with the rate since the previous line: {@code images 1200/5000 (24%), 310/s, 4 s}. */
    public synchronized String line() {
        long now = System.nanoTime();
        long d = done.get();
        double seconds = Math.max(1e-9, (now - lastLineNanos) / 1e9);
        double rate = (d - lastLineDone) / seconds;
        lastLineNanos = now;
        lastLineDone = d;
        String counts = total > 0 ? String.format(" %d/%d (%d%%)", d, total, 100 * d / total) : "";
        return String.format(
                "job %s (dataset %s): %s%s, %.0f/s, %d s in this phase",
                jobId, dataset, phase, counts, rate, (now - phaseStartNanos) / 1_000_000_000L);
    }
}
