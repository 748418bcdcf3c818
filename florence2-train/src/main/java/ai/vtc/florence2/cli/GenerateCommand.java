package ai.vtc.florence2.cli;

import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.CompressionHooks;
import ai.vtc.florence2.generate.GenerationSettings;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code florence2 generate --model DIR --image FILE --prompt TEXT [--num-beams N] [--compression ...]}: prints the
 * answer. Each image's position on the command line (0, 1, ...) is its sample key, from which {@code random} draws.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Answer a prompt about one or more images (one answer per line).")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "model folder (config.json, weights, tokenizer.json)")
    Path model;

    @Option(names = "--image", required = true, description = "JPEG or PNG file; repeat for a batch")
    List<Path> images;

    @Option(names = "--prompt", required = true, description = "prompt, e.g. \"<VQA>what color is the circle?\"")
    String prompt;

    @Option(names = "--num-beams", description = "beams (default: num_beams of the model config)")
    Integer numBeams;

    @Option(names = "--max-new-tokens", defaultValue = "20", description = "default: ${DEFAULT-VALUE}")
    int maxNewTokens;

    @Option(names = "--no-repeat-ngram-size", description = "default: the model config's")
    Integer noRepeatNgramSize;

    @Option(names = "--length-penalty", description = "default: the model config's")
    Double lengthPenalty;

    @Option(names = "--greedy-raw", description = "plain argmax decoding without logits processors")
    boolean raw;

    @Option(names = "--honour-padding-mask", description = "mask prompt padding in batches (the reference does not)")
    boolean honourPaddingMask;

    @Mixin
    CompressionOptions compression;

    @Mixin
    RandomSeedOption randomSeed;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        Compression c = randomSeed.resolve(compression);
        try (Florence2Pipeline pipeline = Florence2Pipeline.load(model, runtime.resolve())) {
            c = compression.orRecorded(c, pipeline.model().config());
            c.validateFor(pipeline.model().config(), pipeline.imageProcessor());
            GenerationSettings settings = raw
                    ? GenerationSettings.greedy(maxNewTokens)
                    : GenerationSettings.fromConfig(pipeline.model().config(), maxNewTokens);
            if (numBeams != null) {
                settings = settings.withNumBeams(numBeams);
            }
            if (noRepeatNgramSize != null) {
                settings = settings.withNoRepeatNgramSize(noRepeatNgramSize);
            }
            if (lengthPenalty != null) {
                settings = settings.withLengthPenalty(lengthPenalty);
            }
            settings = settings.withForward(ForwardOptions.REFERENCE
                    .withPaddingMask(honourPaddingMask)
                    .withEncoderHook(CompressionHooks.forModel(pipeline.model(), c))
                    .withSampleKeys(LongStream.range(0, images.size()).toArray()));
            List<BufferedImage> loaded = new ArrayList<>();
            for (Path image : images) {
                loaded.add(Florence2ImageProcessor.read(image));
            }
            List<String> answers = pipeline.generate(
                    loaded,
                    Collections.nCopies(loaded.size(), prompt),
                    settings,
                    c.imageProcessor(pipeline.imageProcessor()));
            answers.forEach(System.out::println);
        }
        return 0;
    }
}
