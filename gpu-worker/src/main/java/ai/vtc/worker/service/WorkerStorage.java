package ai.vtc.worker.service;

import ai.vtc.storage.ObjectStore;
import ai.vtc.storage.S3Config;
import ai.vtc.worker.config.WorkerConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;

/**
 * The worker's bucket: the services' {@link ObjectStore} (storage's {@code StorageProducer}) with every operation run
 * through a {@link StorageBackoff}, so that an object-storage outage is waited out rather than failing the trial.
 */
@ApplicationScoped
public class WorkerStorage {
    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    ObjectStore objectStore(S3Config s3, WorkerConfig config) {
        return s3.store().withRetry(new StorageBackoff(config.storageRetry()));
    }
}
