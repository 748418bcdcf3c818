package ai.vtc.worker.health;

import ai.vtc.worker.service.WorkerDevice;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN (not ready) when {@code worker.device} names a GPU that libtorch does not see, with the reason (for example
 * "configured for gpu but no CUDA device is visible (DJL engine PyTorch 2.7.1, ...)"); such a worker refuses its
 * trials instead of running them on the CPU. UP with the device in use ({@code cpu()}, {@code gpu(0)}) otherwise.
 */
@Readiness
@ApplicationScoped
public class WorkerDeviceCheck implements HealthCheck {
    private final WorkerDevice device;

    public WorkerDeviceCheck(WorkerDevice device) {
        this.device = device;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("worker device").withData("configured", device.configured());
        device.problem()
                .ifPresentOrElse(
                        p -> response.down().withData("problem", p),
                        () -> response.up().withData("device", device.used()));
        return response.build();
    }
}
