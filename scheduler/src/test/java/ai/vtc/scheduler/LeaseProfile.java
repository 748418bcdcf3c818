package ai.vtc.scheduler;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A lease of six seconds (wide enough for a loaded machine to see the running state), checked twice a second. */
public class LeaseProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("scheduler.lease.timeout", "6s", "scheduler.lease.check-interval", "500ms");
    }
}
