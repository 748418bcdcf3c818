package ai.vtc.florence2.cli;

import ai.djl.Device;
import ai.vtc.florence2.Devices;
import ai.vtc.florence2.nn.Precision;
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

    @Option(
            names = "--precision",
            defaultValue = "fp32",
            description = "fp32, bf16 or fp16: the type matrix products, convolutions and attention run in (weights,"
                    + " norms, softmax, loss and optimizer state stay float32); default: ${DEFAULT-VALUE}")
    String precision;

    /** The --precision setting; an unknown name is an error naming the known ones. */
    Precision precision() {
        return Precision.parse(precision);
    }

    Device resolve() {
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        return Devices.resolve(device);
    }
}
