package ai.vtc.worker.service;

import ai.vtc.contracts.Backoff;
import ai.vtc.contracts.UntilDone;
import ai.vtc.storage.StorageException;
import ai.vtc.storage.StorageFailures;
import ai.vtc.storage.StorageRetry;
import ai.vtc.worker.config.WorkerConfig;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The worker's {@link StorageRetry}: an object-storage operation that fails transiently ({@link StorageFailures}) runs
 * again with a {@link Backoff} ({@code worker.storage-retry.*}), each retry logged with the operation and the cause,
 * so that an outage shorter than {@code give-up-after} costs a trial time, never an attempt or its checkpoints. A
 * failure that is not transient (a missing object, refused credentials) goes to the caller at once; after
 * {@code give-up-after} the last failure does, still marked transient by its cause.
 */
public final class StorageBackoff implements StorageRetry {
    private static final Logger LOG = Logger.getLogger(StorageBackoff.class);

    private final Backoff backoff;
    private final AtomicLong retries = new AtomicLong();

    public StorageBackoff(WorkerConfig.StorageRetry settings) {
        this.backoff = new Backoff(settings.firstPause(), settings.maxPause(), settings.giveUpAfter());
    }

    @Override
    public <T> T call(String what, Supplier<T> operation) {
        int[] failed = {0};
        T result;
        try {
            result = backoff.call(operation, StorageFailures::isTransient, (failure, failures, pause) -> {
                failed[0] = failures;
                retries.incrementAndGet();
                LOG.warnf(
                        "object storage: %s failed (try %d: %s); retrying in %d ms",
                        what, failures, UntilDone.rootMessage(failure), pause.toMillis());
            });
        } catch (Backoff.GaveUp e) {
            throw new StorageException("object storage: gave up to " + what + ", " + e.getMessage(), e);
        }
        if (failed[0] > 0) {
            LOG.infof("object storage: %s succeeded after %d failed tries", what, failed[0]);
        }
        return result;
    }

    /** Retries so far, of every operation. */
    public long retries() {
        return retries.get();
    }
}
