package ai.vtc.evaluator.health;

import ai.vtc.evaluator.service.EvaluationRetry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN (live and ready) while an evaluation has been failing on a fault of the database, object storage or broker
 * for longer than {@code evaluator.retry.unhealthy-after}, with the last failure: the evaluator then consumes nothing
 * else. UP again as soon as the evaluation succeeds.
 */
@Liveness
@Readiness
@ApplicationScoped
public class ConsumersCheck implements HealthCheck {
    private final EvaluationRetry retry;

    public ConsumersCheck(EvaluationRetry retry) {
        this.retry = retry;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> stuck = retry.stuck();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("event consumers");
        stuck.forEach(response::withData);
        return response.status(stuck.isEmpty()).build();
    }
}
