package ai.vtc.florence2.cli;

import ai.djl.Device;
import ai.vtc.florence2.Devices;
import picocli.CommandLine.Option;

/** Options shared by the commands that run the model. */
final class RuntimeOptions {

    @Option(
            names = "--device",
            defaultValue = "cpu",
            description = "cpu, cuda, cuda:N or auto (CUDA when present); default: ${DEFAULT-VALUE}")
    String device;

    @Option(
            names = "--threads",
            defaultValue = "0",
            description = "intra-op threads of libtorch (0: the engine's default, one per core)")
    int threads;

    Device resolve() {
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        return Devices.resolve(device);
    }
}
