package ai.vtc.scheduler.config;

import ai.vtc.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The project's bucket as a bean. */
@ApplicationScoped
public class StorageProducer {
    @Produces
    @ApplicationScoped
    ObjectStore objectStore(S3Config config) {
        return config.store();
    }
}
