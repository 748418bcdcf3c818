package ai.vtc.evaluator.config;

import ai.vtc.contracts.DatasourceConfig;
import ai.vtc.contracts.KafkaConfig;
import ai.vtc.storage.S3Config;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The connections a production evaluator must be given: Kafka (its channels would otherwise try a broker on
 * localhost), its database and the bucket. Quarkus checks every mapping a bean injects before anything connects, so
 * a start that lacks one of their keys stops at once and lists each missing key (the embedded stack's values apply
 * in the dev and test profiles only).
 */
@Startup
@ApplicationScoped
public class RequiredSettings {
    private static final Logger LOG = Logger.getLogger(RequiredSettings.class);

    RequiredSettings(KafkaConfig kafka, DatasourceConfig database, S3Config bucket) {
        LOG.infof("predictions from %s; results in %s; %s", kafka.describe(), database.describe(), bucket.describe());
    }
}
