package ai.vtc.worker.service;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.vtc.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Optional;

/**
 * The device {@code worker.device} asks for, checked against the CUDA devices libtorch sees. Unlike florence2's
 * {@code Devices}, a worker configured for a GPU never falls back to the CPU: without the device it has a {@link
 * #problem()}, which its health check reports and which refuses every trial (so a sweep is never run on the CPU by a
 * worker whose operator paid for a GPU).
 */
@ApplicationScoped
public class WorkerDevice {
    private final String configured;
    private final Device device;
    private final String problem;

    /** The device {@code config} names, checked against the GPUs the PyTorch engine sees now. */
    @Inject
    public WorkerDevice(WorkerConfig config) {
        this(config.device(), PyTorchGpus.INSTANCE);
    }

    WorkerDevice(String configured, GpuProbe gpus) {
        this.configured = configured;
        String name = configured.trim().toLowerCase(Locale.ROOT);
        if (name.equals("cpu")) {
            this.device = Device.cpu();
            this.problem = null;
            return;
        }
        int visible = gpus.count();
        if (name.equals("auto")) { // asked for: a GPU when there is one, the CPU otherwise
            this.device = visible > 0 ? Device.gpu(0) : Device.cpu();
            this.problem = null;
            return;
        }
        int index = gpuIndex(name, configured);
        if (index < visible) {
            this.device = Device.gpu(index);
            this.problem = null;
        } else {
            this.device = null;
            this.problem = visible == 0
                    ? "configured for " + configured + " but no CUDA device is visible (" + gpus.describe()
                            + " sees no GPU; is this the GPU image, run with the NVIDIA container runtime?)"
                    : "configured for " + configured + " but only " + visible + " CUDA device(s) are visible ("
                            + gpus.describe() + ")";
        }
    }

    private static int gpuIndex(String name, String configured) {
        if (name.equals("gpu") || name.equals("cuda")) {
            return 0;
        }
        if (name.startsWith("gpu:") || name.startsWith("cuda:")) {
            String index = name.substring(name.indexOf(':') + 1);
            if (index.matches("[0-9]{1,3}")) {
                return Integer.parseInt(index);
            }
        }
        throw new IllegalArgumentException("worker.device (WORKER_DEVICE) is '" + configured
                + "': expected cpu, gpu, gpu:N (N a GPU index), cuda, cuda:N or auto");
    }

    /** The setting as written. */
    public String configured() {
        return configured;
    }

    /** Why the configured device cannot be used; empty when it can. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** The device models are loaded on; a {@link TrialFailure} (retryable elsewhere) when it is missing here. */
    public Device require() {
        if (problem != null) {
            throw new TrialFailure("this worker cannot run trials: " + problem, true);
        }
        return device;
    }

    /** The device as DJL names it ({@code cpu()}, {@code gpu(0)}), or the problem when it is missing. */
    public String used() {
        return problem == null ? device.toString() : "none (" + problem + ")";
    }

    /** How many CUDA devices there are, and what sees them (for the message). */
    interface GpuProbe {
        int count();

        String describe();
    }

    /** The PyTorch engine's view: libtorch's CUDA device count, zero with a CPU-only libtorch. */
    enum PyTorchGpus implements GpuProbe {
        INSTANCE;

        @Override
        public int count() {
            return Engine.getEngine("PyTorch").getGpuCount();
        }

        @Override
        public String describe() {
            Engine engine = Engine.getEngine("PyTorch");
            String flavor = System.getenv().getOrDefault("PYTORCH_FLAVOR", "bundled");
            return "DJL engine " + engine.getEngineName() + " " + engine.getVersion() + ", libtorch flavor " + flavor;
        }
    }
}
