package ai.vtc.florence2;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.vtc.florence2.generate.GenerationSettings;
import ai.vtc.florence2.generate.Generator;
import ai.vtc.florence2.io.ModelFolder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model folder in use: the model, its tokenizer and image processor. Loads and saves the Hugging Face layout
 * (config.json, model.safetensors or pytorch_model.bin, tokenizer.json, preprocessor_config.json) and answers
 * prompts about images. Not thread-safe; one pipeline per worker thread.
 */
public final class Florence2Pipeline implements AutoCloseable {

    /** Image size of the tiny demo model. */
    public static final int TINY_IMAGE_SIZE = 128;

    private final Florence2Model model;
    private final Florence2Tokenizer tokenizer;
    private final Florence2ImageProcessor imageProcessor;
    private final Generator generator;

    public Florence2Pipeline(Florence2Model model, Florence2Tokenizer tokenizer, Florence2ImageProcessor processor) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.imageProcessor = processor;
        this.generator = new Generator(model);
    }

    public static Florence2Pipeline load(Path folder) {
        return load(folder, Devices.preferred());
    }

    public static Florence2Pipeline load(Path folder, Device device) {
        Path tokenizerJson = folder.resolve(ModelFolder.TOKENIZER);
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("no " + ModelFolder.TOKENIZER + " in " + folder);
        }
        Florence2Model model = Florence2Model.load(folder, device);
        return new Florence2Pipeline(
                model,
                Florence2Tokenizer.load(tokenizerJson, model.config().padTokenId()),
                Florence2ImageProcessor.fromFolder(folder));
    }

    /** A randomly initialised model (same seed, same weights) with the given tokenizer and processor. */
    public static Florence2Pipeline create(
            Florence2Config config, long seed, Florence2Tokenizer tokenizer, Florence2ImageProcessor processor) {
        return new Florence2Pipeline(Florence2Model.random(config, seed), tokenizer, processor);
    }

    /** The project's tiny demo model (random weights), its small English tokenizer and 128 px images. */
    public static Florence2Pipeline createTinyDemo(long seed) {
        return create(
                Florence2Config.tinyDemo(),
                seed,
                Florence2Tokenizer.tinyDemo(),
                Florence2ImageProcessor.ofSize(TINY_IMAGE_SIZE));
    }

    /** Writes config.json, model.safetensors, tokenizer.json and preprocessor_config.json. */
    public void save(Path folder) {
        model.save(folder);
        tokenizer.save(folder.resolve(ModelFolder.TOKENIZER));
        imageProcessor.save(folder);
    }

    public Florence2Model model() {
        return model;
    }

    public Florence2Tokenizer tokenizer() {
        return tokenizer;
    }

    public Florence2ImageProcessor imageProcessor() {
        return imageProcessor;
    }

    public Generator generator() {
        return generator;
    }

    /** Answers one prompt about one image. */
    public String generate(BufferedImage image, String prompt, GenerationSettings settings) {
        return generate(List.of(image), List.of(prompt), settings).get(0);
    }

    /**
     * Answers a batch of prompts (one per image), batched through the model with padding. Task tokens are expanded as
     * Florence-2's processor does ({@link Florence2Prompts}).
     */
    public List<String> generate(List<BufferedImage> images, List<String> prompts, GenerationSettings settings) {
        return generate(images, prompts, settings, imageProcessor);
    }

    /**
     * Like {@link #generate(List, List, GenerationSettings)} with the images preprocessed by {@code processor} instead
     * of the folder's, e.g. the same processor at another size ({@link Florence2ImageProcessor#withSize}, the
     * downsample compression).
     */
    public List<String> generate(
            List<BufferedImage> images,
            List<String> prompts,
            GenerationSettings settings,
            Florence2ImageProcessor processor) {
        long[][] tokens = generateTokenIds(images, prompts, settings, processor);
        List<String> answers = new ArrayList<>(tokens.length);
        for (long[] row : tokens) {
            answers.add(tokenizer.decode(row));
        }
        return answers;
    }

    /**
     * The generated token ids of a batch, one row per image, starting with the decoder start token and padded with pad
     * (as Hugging Face's {@code generate} returns them). {@link Florence2Tokenizer#decodeRaw} of a row is the text
     * Florence-2's post-processing reads ({@code batch_decode(..., skip_special_tokens=False)}).
     */
    public long[][] generateTokenIds(
            List<BufferedImage> images,
            List<String> prompts,
            GenerationSettings settings,
            Florence2ImageProcessor processor) {
        if (images.size() != prompts.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + prompts.size() + " prompts");
        }
        try (NDManager call = model.manager().newSubManager()) {
            NDArray pixels = processor.pixelValues(call, images);
            Florence2Tokenizer.Batch batch = tokenizer.encode(Florence2Prompts.construct(prompts));
            checkVocabulary(batch);
            return generator.generate(pixels, batch.ids(call), batch.attentionMask(call), settings);
        }
    }

    /**
     * A prompt token the model has no embedding for (e.g. a processor token such as {@code <loc_5>} with a small
     * model's tokenizer) is an error here rather than an index failure deep in libtorch.
     */
    private void checkVocabulary(Florence2Tokenizer.Batch batch) {
        int vocabSize = model.config().textConfig().vocabSize();
        for (long[] row : batch.ids()) {
            for (long id : row) {
                if (id >= vocabSize) {
                    throw new IllegalArgumentException("the prompt's token " + tokenizer.idsToTokens(new long[] {id})
                            + " (id " + id + ") is outside the model's vocabulary of " + vocabSize
                            + " tokens: this model was not trained with it");
                }
            }
        }
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
