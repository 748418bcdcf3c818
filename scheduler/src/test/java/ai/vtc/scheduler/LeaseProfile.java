package ai.vtc.scheduler;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A lease of three seconds, checked twice a second. */
public class LeaseProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("scheduler.lease.timeout", "3s", "scheduler.lease.check-interval", "500ms");
    }
}
