package ai.vtc.florence2.cli;

import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.Florence2Tokenizer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code florence2 create --out DIR [--config config.json] [--tokenizer tokenizer.json] [--image-size N] [--seed S]}:
 * writes a randomly initialised model folder. Without {@code --config} it makes the project's tiny demo model.
 */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Write a randomly initialised model folder (default: the tiny demo model).")
final class CreateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "folder to write")
    Path out;

    @Option(names = "--config", description = "config.json (default: the tiny demo config)")
    Path config;

    @Option(names = "--tokenizer", description = "tokenizer.json (default: the tiny demo tokenizer)")
    Path tokenizer;

    @Option(names = "--image-size", description = "image size (default: 128 for the tiny config, else 768)")
    Integer imageSize;

    @Option(names = "--seed", defaultValue = "0", description = "random seed; default: ${DEFAULT-VALUE}")
    long seed;

    @Override
    public Integer call() {
        Florence2Config cfg = config == null ? Florence2Config.tinyDemo() : Florence2Config.read(config);
        int size = imageSize != null ? imageSize : config == null ? Florence2Pipeline.TINY_IMAGE_SIZE : 768;
        Florence2Tokenizer tok = tokenizer == null
                ? Florence2Tokenizer.tinyDemo()
                : Florence2Tokenizer.load(tokenizer, cfg.padTokenId());
        try (Florence2Pipeline pipeline =
                Florence2Pipeline.create(cfg, seed, tok, Florence2ImageProcessor.ofSize(size))) {
            pipeline.save(out);
            System.out.printf(
                    "wrote %s: %,d parameters, %d px images, seed %d%n",
                    out, pipeline.model().parameters().parameterCount(), size, seed);
        }
        return 0;
    }
}
