package ai.vtc.dataset.config;

import ai.vtc.stack.testing.ProfileConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A production start with an empty environment stops naming every missing connection setting and the API token,
 * because the embedded stack's values are in the dev and test profiles only and {@link RequiredSettings} requires the
 * mappings that hold them.
 */
class ProductionSettingsTest {
    @Test
    void productionNamesEveryMissingConnectionSettingAndDevAndTestLackNone() {
        ProfileConfig.requiredInProductionOnly(
                ProfileConfig.injectedBy(RequiredSettings.class),
                List.of(),
                List.of(
                        "quarkus.datasource.jdbc.url",
                        "quarkus.datasource.username",
                        "quarkus.datasource.password",
                        "vtc.s3.endpoint",
                        "vtc.s3.access-key",
                        "vtc.s3.secret-key",
                        "datasets.api-token"));
    }
}
