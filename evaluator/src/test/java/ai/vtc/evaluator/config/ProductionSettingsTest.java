package ai.vtc.evaluator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.stack.testing.ProfileConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A production start without connection settings stops naming each missing one, because the embedded stack's
 * values are in the dev and test profiles only and {@link RequiredSettings} requires the mappings that hold them.
 */
class ProductionSettingsTest {
    private static final List<String> CONNECTION_KEYS = List.of(
            "kafka.bootstrap.servers",
            "quarkus.datasource.jdbc.url",
            "quarkus.datasource.username",
            "quarkus.datasource.password",
            "vtc.s3.endpoint",
            "vtc.s3.access-key",
            "vtc.s3.secret-key");

    @Test
    void aProductionStartWithAnEmptyEnvironmentNamesEveryMissingSetting() {
        String problems = ProfileConfig.problems("prod", required(), List.of());
        for (String key : CONNECTION_KEYS) {
            assertTrue(problems.contains("The config property " + key + " is required"), key + " in:\n" + problems);
        }
    }

    @Test
    void devAndTestPointAtTheEmbeddedStack() {
        assertEquals("", ProfileConfig.problems("test", required(), List.of()));
        assertEquals("", ProfileConfig.problems("dev", required(), List.of()));
    }

    /** The config mappings a start binds before anything connects: those {@link RequiredSettings} injects. */
    private static List<Class<?>> required() {
        List<Class<?>> mappings =
                new ArrayList<>(Arrays.asList(RequiredSettings.class.getDeclaredConstructors()[0].getParameterTypes()));
        return mappings;
    }
}
