package ai.vtc.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The project's bucket as a bean of every service that injects an {@link ObjectStore}. */
@ApplicationScoped
public class StorageProducer {
    @Produces
    @ApplicationScoped
    ObjectStore objectStore(S3Config config) {
        return config.store();
    }
}
