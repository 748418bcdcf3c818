package ai.vtc.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.stack.testing.ProfileConfig;
import ai.vtc.storage.S3Config;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A production start without connection settings stops naming each missing one: the embedded stack's values are
 * in the dev and test profiles only, {@link S3Config} requires its keys and the Kafka clients inject
 * {@code kafka.bootstrap.servers} without a default.
 */
class ProductionSettingsTest {
    private static final List<Class<?>> MAPPINGS = List.of(S3Config.class);
    private static final List<String> KEYS = List.of("kafka.bootstrap.servers");

    @Test
    void aProductionStartWithAnEmptyEnvironmentNamesEveryMissingSetting() {
        String problems = ProfileConfig.problems("prod", MAPPINGS, List.of());
        for (String key : List.of("vtc.s3.endpoint", "vtc.s3.access-key", "vtc.s3.secret-key")) {
            assertTrue(problems.contains("The config property " + key + " is required"), key + " in:\n" + problems);
        }
        String kafka = ProfileConfig.problems("prod", List.of(), KEYS);
        assertTrue(kafka.contains("kafka.bootstrap.servers is required"), kafka);
    }

    @Test
    void devAndTestPointAtTheEmbeddedStack() {
        assertEquals("", ProfileConfig.problems("test", MAPPINGS, KEYS));
        assertEquals("", ProfileConfig.problems("dev", MAPPINGS, KEYS));
    }
}
