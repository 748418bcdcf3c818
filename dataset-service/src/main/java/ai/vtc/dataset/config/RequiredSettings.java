package ai.vtc.dataset.config;

import ai.vtc.contracts.DatasourceConfig;
import ai.vtc.storage.S3Config;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The settings a production dataset service must be given: its database, the bucket the datasets go to and (in
 * {@link DatasetConfig}) the API token changes carry.
 * Quarkus checks every mapping a bean injects before anything connects, so a start that lacks one of their keys
 * stops at once and lists each missing key (the embedded stack's values apply in the dev and test profiles only).
 */
@Startup
@ApplicationScoped
public class RequiredSettings {
    private static final Logger LOG = Logger.getLogger(RequiredSettings.class);

    RequiredSettings(DatasourceConfig database, S3Config bucket, DatasetConfig settings) {
        LOG.infof(
                "jobs in %s; datasets in %s; folder ingest %s",
                database.describe(),
                bucket.describe(),
                settings.ingestRoots().map(roots -> "from " + roots).orElse("off (datasets.ingest-roots unset)"));
    }
}
