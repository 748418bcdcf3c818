package ai.vtc.florence2;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Device choice: the CPU unless a CUDA device is asked for ({@code -Dflorence2.device=cuda}, environment {@code
 * FLORENCE2_DEVICE=cuda}, or {@code "cuda"}/{@code "gpu"} passed explicitly) and one is present.
 */
public final class Devices {

    private Devices() {}

    public static Device preferred() {
        String wanted = System.getProperty("florence2.device", System.getenv("FLORENCE2_DEVICE"));
        return resolve(wanted == null ? "cpu" : wanted);
    }

    /** "cpu", "cuda", "cuda:1", "gpu", "auto" (a GPU when present). Falls back to the CPU when no GPU exists. */
    public static Device resolve(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if (gpus == 0) {
            if (!n.equals("auto")) {
                System.err.println("florence2: no CUDA device visible to libtorch, using the CPU instead of " + name);
            }
            return Device.cpu();
        }
        if (n.startsWith("cuda:") || n.startsWith("gpu:")) {
            return Device.gpu(Integer.parseInt(n.substring(n.indexOf(':') + 1)));
        }
        if (n.equals("cuda") || n.equals("gpu") || n.equals("auto")) {
            return Device.gpu();
        }
        throw new IllegalArgumentException("unknown device " + name + " (cpu, cuda, cuda:N, auto)");
    }
}
