package ai.vtc.scheduler;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A scheduler that accepts sweeps but never publishes: as if it crashed right after each commit. */
public class Restart1RelayOffProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("scheduler.outbox.enabled", "false");
    }
}
