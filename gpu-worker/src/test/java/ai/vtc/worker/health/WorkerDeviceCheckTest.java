package ai.vtc.worker.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.vtc.worker.TestWorker;
import ai.vtc.worker.config.WorkerConfig;
import ai.vtc.worker.messaging.TrialLoop;
import ai.vtc.worker.messaging.TrialLoopStarter;
import ai.vtc.worker.service.Florence2TrialRunner;
import ai.vtc.worker.service.TrialFailure;
import ai.vtc.worker.service.WorkerDevice;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real PyTorch engine of this JVM: on a machine without CUDA a worker configured for a GPU says so. */
class WorkerDeviceCheckTest {
    @TempDir
    Path cache;

    /** The test JVM's worker settings with {@code device} in place of {@code cpu}. */
    private WorkerConfig configured(String device) {
        return new TestWorker.Config("device-test", cache, device);
    }

    @Test
    void aGpuWorkerOnAMachineWithoutCudaIsDownWithTheReasonAndRunsNothingOnTheCpu() {
        assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a CUDA device");
        WorkerDevice device = new WorkerDevice(configured("gpu"));
        HealthCheckResponse health = new WorkerDeviceCheck(device).call();
        assertEquals(HealthCheckResponse.Status.DOWN, health.getStatus());
        String problem = String.valueOf(health.getData().orElseThrow().get("problem"));
        assertTrue(problem.startsWith("configured for gpu but no CUDA device is visible (DJL engine PyTorch"), problem);
        Florence2TrialRunner runner = new Florence2TrialRunner(configured("gpu"), null, device);
        assertTrue(runner.device().contains(problem), "the started event names no device: " + runner.device());
        assertThrows(TrialFailure.class, device::require);

        // it takes no trial from the topic: its consumer never starts, and the consumer's health check says why
        WorkerConfig consuming = TestWorker.consuming(configured("gpu"));
        TrialLoop loop = TrialLoopStarter.start(consuming, device);
        HealthCheckResponse consumer = new TrialsConsumerCheck(loop, consuming).call();
        assertEquals(HealthCheckResponse.Status.DOWN, consumer.getStatus());
        assertEquals(
                "not consuming trials: " + problem,
                consumer.getData().orElseThrow().get("problem"));
    }

    @Test
    void aCpuWorkerIsUpAndReportsTheDeviceDjlUses() {
        WorkerDevice device = new WorkerDevice(configured("cpu"));
        HealthCheckResponse health = new WorkerDeviceCheck(device).call();
        assertEquals(HealthCheckResponse.Status.UP, health.getStatus());
        assertEquals("cpu()", health.getData().orElseThrow().get("device"));
        assertEquals("cpu()", new Florence2TrialRunner(configured("cpu")).device());
    }
}
