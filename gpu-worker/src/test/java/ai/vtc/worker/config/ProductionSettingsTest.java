package ai.vtc.worker.config;

import ai.vtc.stack.testing.ProfileConfig;
import ai.vtc.storage.S3Config;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A production start with an empty environment stops naming every missing connection setting: the embedded stack's
 * values are in the dev and test profiles only, {@link S3Config} requires its keys and the Kafka clients inject
 * {@code kafka.bootstrap.servers} without a default.
 */
class ProductionSettingsTest {
    @Test
    void productionNamesEveryMissingConnectionSettingAndDevAndTestLackNone() {
        List<String> kafka = List.of("kafka.bootstrap.servers");
        ProfileConfig.requiredInProductionOnly(
                List.of(S3Config.class),
                List.of(),
                List.of("vtc.s3.endpoint", "vtc.s3.access-key", "vtc.s3.secret-key"));
        ProfileConfig.requiredInProductionOnly(List.of(), kafka, kafka);
    }
}
