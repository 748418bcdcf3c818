package ai.vtc.florence2.cli;

import ai.vtc.florence2.compress.Compression;
import picocli.CommandLine.Option;

/** {@code --compression MODE --factor F --stage S [--sorted]}, checked against the model by the trainer/predictor. */
final class CompressionOptions {

    @Option(
            names = "--compression",
            defaultValue = "none",
            description = "none, avg_pool or learnable_pool (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--factor", description = "pooling window, >= 2 (required when pooling)")
    Integer factor;

    @Option(
            names = "--stage",
            description = "pool before encoder layer S, 0 .. encoder layers (the last value: on the encoder output)")
    Integer stage;

    @Option(names = "--sorted", description = "sort every channel of the grid tokens before pooling")
    boolean sorted;

    Compression resolve() {
        return Compression.of(mode, factor, stage, sorted ? Boolean.TRUE : null);
    }
}
