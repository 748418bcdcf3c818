package ai.vtc.scheduler;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Short limits, so that fault tests see a consumer go DOWN and the relay give up on a broker within seconds. */
public class FaultsProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "scheduler.database-retry.unhealthy-after", "3s",
                "scheduler.database-retry.max-pause", "1s",
                "scheduler.outbox.ack-timeout", "5s");
    }
}
