package ai.vtc.scheduler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.contracts.SpecBounds;
import io.smallrye.config.WithDefault;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's default upper bounds are contracts' {@link SpecBounds#DEFAULT}, which {@code sweep validate}
 * checks offline: with the defaults, both report the same problems for the same file.
 */
class SpecBoundsDefaultsTest {
    @Test
    void theSchedulersDefaultsAreTheOfflineDefaults() throws Exception {
        SpecBounds offline = SpecBounds.DEFAULT;
        assertEquals(offline.maxBatchSize(), defaultOf("maxBatchSize"));
        assertEquals(offline.maxBeams(), defaultOf("maxBeams"));
        assertEquals(offline.maxSteps(), defaultOf("maxSteps"));
        assertEquals(offline.maxEpochs(), defaultOf("maxEpochs"));
        assertEquals(offline.maxNewTokens(), defaultOf("maxNewTokens"));
        assertEquals(offline.maxPromptChars(), defaultOf("maxPromptChars"));
    }

    private static int defaultOf(String key) throws NoSuchMethodException {
        return Integer.parseInt(SchedulerConfig.Spec.class
                .getMethod(key)
                .getAnnotation(WithDefault.class)
                .value());
    }
}
