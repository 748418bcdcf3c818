package ai.vtc.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class WorkerDeviceTest {

    private record Gpus(int count) implements WorkerDevice.GpuProbe {
        @Override
        public String describe() {
            return "DJL engine PyTorch test, " + count + " GPU(s)";
        }
    }

    @Test
    void cpuIsUsedAsConfiguredAndNamedAsDjlNamesIt() {
        WorkerDevice cpu = new WorkerDevice("cpu", new Gpus(0));
        assertTrue(cpu.problem().isEmpty());
        assertEquals(Device.cpu(), cpu.require());
        assertEquals("cpu()", cpu.used());
    }

    @Test
    void aGpuIndexSelectsThatDevice() {
        WorkerDevice second = new WorkerDevice("gpu:1", new Gpus(2));
        assertEquals(Device.gpu(1), second.require());
        assertEquals("gpu(1)", second.used());
        assertEquals("gpu(0)", new WorkerDevice("gpu", new Gpus(1)).used());
        assertEquals("gpu(0)", new WorkerDevice("cuda:0", new Gpus(1)).used());
    }

    @Test
    void aGpuWorkerWithoutCudaRefusesTrialsInsteadOfFallingBackToTheCpu() {
        WorkerDevice missing = new WorkerDevice("gpu", new Gpus(0));
        String problem = missing.problem().orElseThrow();
        assertTrue(problem.startsWith("configured for gpu but no CUDA device is visible (DJL engine"), problem);
        TrialFailure refused = assertThrows(TrialFailure.class, missing::require);
        assertTrue(refused.retryable(), "another worker may have the GPU");
        assertTrue(refused.getMessage().contains(problem), refused.getMessage());
        assertTrue(missing.used().startsWith("none ("), missing.used());
    }

    @Test
    void autoTakesTheFirstGpuWhenThereIsOneAndOtherwiseTheCpuWithoutAProblem() {
        assertEquals("gpu(0)", new WorkerDevice("auto", new Gpus(2)).used());
        WorkerDevice none = new WorkerDevice("auto", new Gpus(0));
        assertTrue(none.problem().isEmpty());
        assertEquals("cpu()", none.used());
    }

    @Test
    void anIndexPastTheVisibleGpusIsAProblemNamingHowManyThereAre() {
        String problem = new WorkerDevice("gpu:2", new Gpus(2)).problem().orElseThrow();
        assertTrue(problem.contains("configured for gpu:2 but only 2 CUDA device(s) are visible"), problem);
    }

    @Test
    void anUnknownDeviceNameIsRejectedNamingTheSetting() {
        for (String bad : new String[] {"tpu", "gpu:x", "gpu:-1", ""}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> new WorkerDevice(bad, new Gpus(1)));
            assertTrue(e.getMessage().contains("worker.device (WORKER_DEVICE) is '" + bad + "'"), e.getMessage());
        }
    }
}
