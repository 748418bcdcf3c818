package ai.vtc.dataset.service;

import ai.vtc.dataset.config.DatasetConfig;
import ai.vtc.dataset.metrics.IngestMetrics;
import ai.vtc.dataset.persistence.JobEntity;
import ai.vtc.dataset.persistence.JobKind;
import ai.vtc.dataset.persistence.JobState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs ingest jobs one at a time on a background thread, keeps their live progress, and every
 * {@link DatasetConfig#progressInterval()} logs a line per running job and stores its progress.
 */
@ApplicationScoped
public class Jobs {
    private static final Logger LOG = Logger.getLogger(Jobs.class);

    /** The body of a job. */
    public interface Work {
        Outcome run(JobProgress progress) throws Exception;
    }

    /**
     * What a job achieved.
     *
     * @param summary becomes the job's message
     * @param units stored as the finished job's done and total (images ingested)
     */
    public record Outcome(String summary, long units) {}

    private final IngestMetrics metrics;
    private final Map<String, JobProgress> running = new ConcurrentHashMap<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "dataset-jobs"));
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "dataset-job-progress"));

    public Jobs(DatasetConfig config, IngestMetrics metrics) {
        this.metrics = metrics;
        long every = Math.max(100, config.progressInterval().toMillis());
        ticker.scheduleWithFixedDelay(this::report, every, every, TimeUnit.MILLISECONDS);
    }

    /** A new queued job row; call within the transaction that reserves its dataset. */
    public JobEntity create(String dataset, JobKind kind, String request) {
        JobEntity job = new JobEntity();
        job.id = UUID.randomUUID().toString();
        job.dataset = dataset;
        job.kind = kind;
        job.state = JobState.QUEUED;
        job.phase = "queued";
        job.request = request;
        job.createdAt = Instant.now();
        job.persist();
        return job;
    }

    /** Queues {@code work}; when it throws, {@code onFailure} runs (to clean up) before the job is marked failed. */
    public void start(JobEntity job, Work work, Consumer<Throwable> onFailure) {
        String id = job.id;
        String dataset = job.dataset;
        JobKind kind = job.kind;
        runner.execute(() -> run(id, dataset, kind, work, onFailure));
    }

    /** The live progress of a running job. */
    public Optional<JobProgress.Snapshot> live(String jobId) {
        return Optional.ofNullable(running.get(jobId)).map(JobProgress::snapshot);
    }

    private void run(String id, String dataset, JobKind kind, Work work, Consumer<Throwable> onFailure) {
        JobProgress progress = new JobProgress(id, dataset);
        running.put(id, progress);
        metrics.jobStarted();
        long start = System.nanoTime();
        update(id, job -> {
            job.state = JobState.RUNNING;
            job.startedAt = Instant.now();
        });
        try {
            Outcome outcome = work.run(progress);
            update(
                    id,
                    job -> finish(
                            job, JobState.SUCCEEDED, "done", outcome.units(), outcome.units(), outcome.summary()));
            metrics.jobFinished(kind, JobState.SUCCEEDED);
            LOG.infof("job %s (dataset %s) succeeded in %.1f s: %s", id, dataset, seconds(start), outcome.summary());
        } catch (Exception | Error e) {
            // an Error too (a file too large for memory, say): the name must not stay taken by a dead job
            String message = e instanceof IngestProblem || e instanceof InvalidRequest || e instanceof DatasetConflict
                    ? e.getMessage()
                    : e.toString();
            if (e instanceof IngestProblem) {
                LOG.warnf("job %s (dataset %s) failed: %s", id, dataset, message);
            } else {
                LOG.errorf(e, "job %s (dataset %s) failed", id, dataset);
            }
            try {
                onFailure.accept(e);
            } catch (RuntimeException cleanup) {
                LOG.errorf(cleanup, "job %s: cleaning up dataset %s failed", id, dataset);
                message += " (and cleaning up failed: " + cleanup.getMessage() + ")";
            }
            JobProgress.Snapshot last = progress.snapshot();
            String failure = message;
            update(id, job -> finish(job, JobState.FAILED, last.phase(), last.done(), last.total(), failure));
            metrics.jobFinished(kind, JobState.FAILED);
        } finally {
            running.remove(id);
            metrics.jobEnded();
        }
    }

    private static void finish(JobEntity job, JobState state, String phase, long done, long total, String message) {
        job.state = state;
        job.phase = phase;
        job.done = done;
        job.total = total;
        job.message = message;
        job.finishedAt = Instant.now();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void report() {
        running.forEach((id, progress) -> {
            try {
                LOG.info(progress.line());
                JobProgress.Snapshot s = progress.snapshot();
                // one statement that touches only a running job: a job that finished meanwhile keeps its outcome
                QuarkusTransaction.requiringNew()
                        .run(() -> JobEntity.update(
                                "phase = ?1, done = ?2, total = ?3 where id = ?4 and state = ?5",
                                s.phase(),
                                s.done(),
                                s.total(),
                                id,
                                JobState.RUNNING));
            } catch (RuntimeException e) {
                LOG.warnf("job %s: cannot store progress: %s", id, e.getMessage());
            }
        });
    }

    private static void update(String id, Consumer<JobEntity> change) {
        QuarkusTransaction.requiringNew().run(() -> {
            JobEntity job = JobEntity.findById(id);
            if (job != null) {
                change.accept(job);
            }
        });
    }

    @PreDestroy
    void stop() {
        ticker.shutdownNow();
        runner.shutdownNow();
    }
}
