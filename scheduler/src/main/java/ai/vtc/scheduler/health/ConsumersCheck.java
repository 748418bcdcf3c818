package ai.vtc.scheduler.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN (live and ready) while a consumer has been unable to store its event for longer than
 * {@code scheduler.database-retry.unhealthy-after}, with the channel and its last failure: an operator or an
 * orchestrator should see that the scheduler consumes nothing. UP again as soon as the event is stored.
 */
@Liveness
@Readiness
@ApplicationScoped
public class ConsumersCheck implements HealthCheck {
    private final ConsumerHealth consumers;

    public ConsumersCheck(ConsumerHealth consumers) {
        this.consumers = consumers;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> stuck = consumers.stuck();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("event consumers");
        stuck.forEach(response::withData);
        return response.status(stuck.isEmpty()).build();
    }
}
