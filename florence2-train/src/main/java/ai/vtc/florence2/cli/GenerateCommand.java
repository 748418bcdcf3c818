package ai.vtc.florence2.cli;

import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.Florence2Task;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.CompressionHooks;
import ai.vtc.florence2.generate.GenerationSettings;
import ai.vtc.florence2.nn.Autocast;
import ai.vtc.florence2.postprocess.Florence2PostProcessor;
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
 * answer. With {@code --task TOKEN [--text-input TEXT]} instead of a prompt, the prompt is the task's (as Florence-2's
 * processor builds it) and each image's generated text, special tokens included, is post-processed into the task's
 * result for that image's size and printed as JSON; {@code --draw out.png} draws it on the image. Each image's position on the command line (0, 1, ...) is its sample key, from which {@code random} draws.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description =
                "Answer a prompt about one or more images (one answer per line), or run a task (one JSON result per line).")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "model folder (config.json, weights, tokenizer.json)")
    Path model;

    @Option(names = "--image", required = true, description = "JPEG or PNG file; repeat for a batch")
    List<Path> images;

    @Option(names = "--prompt", description = "prompt, e.g. \"<VQA>what color is the circle?\" (or give --task)")
    String prompt;

    @Option(
            names = "--task",
            description = "a Florence-2 task token, e.g. <OD>, <CAPTION>, <OCR_WITH_REGION>: prints the post-processed"
                    + " result as JSON, one line per image")
    String task;

    @Option(
            names = "--text-input",
            description =
                    "the task's text input, for the tasks that take one, e.g. a caption for"
                            + " <CAPTION_TO_PHRASE_GROUNDING> or \"<loc_52><loc_333><loc_932><loc_774>\" for <REGION_TO_CATEGORY>")
    String textInput;

    @Mixin
    ResultOutput output;

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
        Florence2Task florence2Task = task();
        String text = florence2Task == null ? prompt : florence2Task.text(textInput);
        Compression c = randomSeed.resolve(compression);
        List<BufferedImage> loaded = new ArrayList<>(); // before the model, which may take minutes to load
        for (Path image : images) {
            loaded.add(Florence2ImageProcessor.read(image));
        }
        try (Florence2Pipeline pipeline = Florence2Pipeline.load(model, runtime.resolve());
                Autocast ignored = Autocast.enter(runtime.precision())) {
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
            List<String> prompts = Collections.nCopies(loaded.size(), text);
            Florence2ImageProcessor processor = c.imageProcessor(pipeline.imageProcessor());
            if (florence2Task == null) {
                pipeline.generate(loaded, prompts, settings, processor).forEach(System.out::println);
                return 0;
            }
            long[][] generated = pipeline.generateTokenIds(loaded, prompts, settings, processor);
            for (int i = 0; i < generated.length; i++) {
                String generatedText = pipeline.tokenizer().decodeRaw(generated[i]);
                BufferedImage image = loaded.get(i);
                output.report(
                        Florence2PostProcessor.process(florence2Task, generatedText, ResultOutput.sizeOf(image)),
                        image);
            }
        }
        return 0;
    }

    /** The task of {@code --task}, checked against the other options before the model loads; null for a prompt. */
    private Florence2Task task() {
        if ((prompt == null) == (task == null)) {
            throw new UserInputException("give either --prompt TEXT (the answer as text) or --task TOKEN [--text-input"
                    + " TEXT] (the post-processed result as JSON), not both or neither");
        }
        if (task == null) {
            if (textInput != null || output.draw != null) {
                throw new UserInputException((textInput != null ? "--text-input" : "--draw")
                        + " goes with --task; with --prompt write the whole prompt");
            }
            return null;
        }
        Florence2Task florence2Task = Florence2Task.of(task);
        output.checkDrawable(florence2Task);
        if (output.draw != null && images.size() != 1) {
            throw new UserInputException("--draw draws on one image; got " + images.size() + " --image options");
        }
        return florence2Task;
    }
}
