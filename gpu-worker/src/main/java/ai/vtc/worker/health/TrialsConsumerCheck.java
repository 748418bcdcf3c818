package ai.vtc.worker.health;

import ai.vtc.worker.config.WorkerConfig;
import ai.vtc.worker.messaging.TrialLoop;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN (live and ready) when the trials consumer cannot consume: its thread ended, or it has not reached the broker
 * (or kept failing) for longer than {@code worker.consumer-unhealthy-after}, with the reason; UP again as soon as the
 * broker answers. A worker started with {@code worker.consume=false} has no consumer and is always UP.
 */
@Liveness
@Readiness
@ApplicationScoped
public class TrialsConsumerCheck implements HealthCheck {
    private final TrialLoop loop;
    private final WorkerConfig config;

    public TrialsConsumerCheck(TrialLoop loop, WorkerConfig config) {
        this.loop = loop;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("trials consumer");
        if (!config.consume()) {
            return response.up().withData("consume", false).build();
        }
        Optional<String> problem = loop.health().problem(config.consumerUnhealthyAfter(), Instant.now());
        problem.ifPresent(p -> response.withData("problem", p));
        return response.status(problem.isEmpty()).build();
    }
}
