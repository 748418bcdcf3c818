package ai.vtc.evaluator;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Short limits, so that fault tests see the evaluator go DOWN within seconds. */
public class FaultsProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("evaluator.retry.unhealthy-after", "3s", "evaluator.retry.max-pause", "1s");
    }
}
