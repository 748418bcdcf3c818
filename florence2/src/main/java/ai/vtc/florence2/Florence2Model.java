package ai.vtc.florence2;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.io.CheckpointLoader;
import ai.vtc.florence2.io.ModelFolder;
import ai.vtc.florence2.io.TensorSource;
import ai.vtc.florence2.language.DecoderCache;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.language.EncoderPass;
import ai.vtc.florence2.language.EncoderStageHook;
import ai.vtc.florence2.language.Florence2LanguageModel;
import ai.vtc.florence2.nn.Init;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.ParameterStore;
import ai.vtc.florence2.nn.Trace;
import ai.vtc.florence2.vision.DaViT;
import ai.vtc.florence2.vision.FeatureMap;
import ai.vtc.florence2.vision.ImageProjection;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Florence-2 ({@code Florence2ForConditionalGeneration}): DaViT vision tower, image projection, and the BART-style
 * encoder-decoder, with every weight named as in the Hugging Face checkpoint. The encoder input is [image tokens ; text
 * tokens]. Letters: B batch, N image tokens (1 + h*w), T text tokens, L = N + T, U decoder tokens, D model width, V
 * vocabulary.
 *
 * <p>Methods allocate their results in the manager of their inputs; callers keep per-call temporaries in an {@link
 * ai.djl.ndarray.NDScope} (see {@link ai.vtc.florence2.generate.Generator}).
 */
public final class Florence2Model implements AutoCloseable {

    /**
     * The learnable_pool weight [f] (docs/architecture.md, "Visual-token compression"); present only in models that
     * use or used learnable pooling.
     */
    public static final String VISUAL_POOLING_WEIGHT = "language_model.model.encoder.visual_pooling.weight";

    private final Florence2Config config;
    private final NDManager manager;
    private final ParameterStore parameters;
    private final DaViT visionTower;
    private final ImageProjection imageProjection;
    private final Florence2LanguageModel languageModel;

    private Florence2Model(Florence2Config config, Device device) {
        this.config = config;
        this.manager = Engine.getEngine("PyTorch").newBaseManager(device);
        this.parameters = new ParameterStore(manager);
        this.visionTower = new DaViT(parameters, "vision_tower", config.visionConfig());
        this.imageProjection = new ImageProjection(parameters, config.visionConfig());
        this.languageModel = new Florence2LanguageModel(parameters, config.textConfig());
    }

    /** Loads a Hugging Face model folder (config.json and model.safetensors or pytorch_model.bin) on the CPU. */
    public static Florence2Model load(Path folder) {
        return load(folder, Devices.preferred());
    }

    public static Florence2Model load(Path folder, Device device) {
        Florence2Config config = Florence2Config.read(folder.resolve("config.json"));
        Florence2Model model = new Florence2Model(config, device);
        try (TensorSource source = CheckpointLoader.open(folder)) {
            model.loadWeights(source);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** A model with random weights drawn from {@code seed} (the same seed gives the same weights). */
    public static Florence2Model random(Florence2Config config, long seed) {
        return random(config, seed, Devices.preferred());
    }

    public static Florence2Model random(Florence2Config config, long seed, Device device) {
        Florence2Model model = new Florence2Model(config, device);
        model.parameters.initialiseMissing(seed);
        return model;
    }

    /**
     * The learnable_pool weight of length {@code factor}, created with every entry 1/f (average pooling) when the model
     * has none yet. It is saved with the model and loaded back by {@link #load}. Whether a compression setting fits
     * the model is {@code compress}'s question ({@code VisualTokenCompressor.forModel}); here a weight of another
     * length is a programming error.
     *
     * @throws IllegalArgumentException when the model already has a pooling weight of another length
     */
    public Param visualPoolingWeight(int factor) {
        if (parameters.contains(VISUAL_POOLING_WEIGHT)) {
            Param p = parameters.param(VISUAL_POOLING_WEIGHT);
            if (p.shape().get(0) != factor) {
                throw new IllegalArgumentException("the model's " + VISUAL_POOLING_WEIGHT + " has length "
                        + p.shape().get(0) + ", not " + factor);
            }
            return p;
        }
        Param p = declareVisualPoolingWeight(factor);
        parameters.initialiseMissing(0); // a constant: the seed does not matter
        return p;
    }

    /**
     * Replaces every weight with the checkpoint's (a training checkpoint's {@code model.safetensors}); a pooling weight
     * in the checkpoint is created here first when the model has none.
     */
    public void loadWeights(TensorSource source) {
        TensorSource.Info pooling = source.tensors().get(VISUAL_POOLING_WEIGHT);
        if (pooling != null && pooling.shape().length == 1 && !parameters.contains(VISUAL_POOLING_WEIGHT)) {
            declareVisualPoolingWeight(Math.toIntExact(pooling.shape()[0]));
        }
        CheckpointLoader.load(parameters, source);
    }

    /** The learnable_pool weight if the model has one. */
    public Optional<Param> visualPoolingWeight() {
        return parameters.contains(VISUAL_POOLING_WEIGHT)
                ? Optional.of(parameters.param(VISUAL_POOLING_WEIGHT))
                : Optional.empty();
    }

    private Param declareVisualPoolingWeight(int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("a visual pooling weight needs a length >= 1, got " + factor);
        }
        return parameters.declare(VISUAL_POOLING_WEIGHT, new Shape(factor), new Init.Constant(1f / factor));
    }

    /** Writes config.json and model.safetensors into {@code folder} (see {@link ModelFolder} for the tokenizer). */
    public void save(Path folder) {
        ModelFolder.saveWeights(folder, config.toJson(), parameters);
    }

    public Florence2Config config() {
        return config;
    }

    public ParameterStore parameters() {
        return parameters;
    }

    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    public int numEncoderLayers() {
        return languageModel.encoder().numLayers();
    }

    public int numDecoderLayers() {
        return languageModel.decoder().numLayers();
    }

    /** pixels [B, 3, H, W] -> image features [B, N, D] */
    public NDArray encodeImage(NDArray pixelValues, Trace trace) {
        return projectImage(visionFeatures(pixelValues, trace), trace);
    }

    /**
     * pixels [B, 3, H, W] -> the DaViT vision tower's output tokens [B, h*w, C] with their grid: everything of the
     * image side that depends on the {@code vision_tower.*} weights only (what a frozen vision tower computes the same
     * way for every trial of one model, image size and precision).
     */
    public FeatureMap visionFeatures(NDArray pixelValues, Trace trace) {
        FeatureMap features = visionTower.forward(pixelValues, trace);
        trace.record("vision_features", features.tokens());
        return features;
    }

    /** The vision tower's output -> image features [B, 1 + h*w, D] (position embeddings, pooling, projection). */
    public NDArray projectImage(FeatureMap visionFeatures, Trace trace) {
        NDArray imageFeatures = imageProjection.forward(visionFeatures, trace);
        trace.record("image_features", imageFeatures);
        return imageFeatures;
    }

    /** ids [B, T] -> text embeddings [B, T, D] (the shared table, not scaled) */
    public NDArray embedText(NDArray inputIds) {
        return languageModel.embedText(inputIds);
    }

    /**
     * pixels [B, 3, H, W], ids [B, T], 0/1 text mask [B, T] (in attention only with {@link
     * ForwardOptions#honourPaddingMask}; always handed to the encoder hook, whose attention scores read the real text
     * positions) -> encoder output [B, L', D] with the mask it was computed with
     */
    public EncoderOutput encode(
            NDArray pixelValues, NDArray inputIds, NDArray attentionMask, ForwardOptions options, Trace trace) {
        NDArray imageFeatures = encodeImage(pixelValues, trace);
        return encodeFeatures(imageFeatures, inputIds, attentionMask, options, trace);
    }

    /** Like {@link #encode} from already computed image features [B, N, D]. */
    public EncoderOutput encodeFeatures(
            NDArray imageFeatures, NDArray inputIds, NDArray attentionMask, ForwardOptions options, Trace trace) {
        NDArray text = embedText(inputIds); // [B, T, D]
        trace.record("text_inputs_embeds", text);
        NDArray inputsEmbeds = imageFeatures.concat(text, 1); // [B, L, D]
        trace.record("encoder_inputs_embeds", inputsEmbeds);
        NDArray mask = null;
        if (options.honourPaddingMask() && attentionMask != null) {
            long b = imageFeatures.getShape().get(0);
            long n = imageFeatures.getShape().get(1);
            NDArray imageMask = imageFeatures.getManager().ones(new Shape(b, n));
            mask = imageMask.concat(attentionMask.toType(DataType.FLOAT32, false), 1);
        }
        // the hook learns where the image tokens end, which text positions are real (the tokenizer's mask, whether
        // or not attention honours it) and each sample's key
        EncoderStageHook hook = options.encoderHook() == null
                ? null
                : options.encoderHook()
                        .bind(new EncoderPass(
                                Math.toIntExact(imageFeatures.getShape().get(1)), attentionMask, options.sampleKeys()));
        EncoderOutput out = languageModel.encoder().forward(inputsEmbeds, mask, hook);
        trace.record("encoder_last_hidden_state", out.hidden());
        return out;
    }

    /** decoder ids [B, U] (only the new ones with a cache) -> decoder states [B, U, D] */
    public NDArray decode(NDArray decoderInputIds, EncoderOutput encoder, DecoderCache cache) {
        return languageModel.decoder().forward(decoderInputIds, encoder.hidden(), encoder.mask(), cache);
    }

    /** decoder states [B, U, D] -> logits [B, U, V] */
    public NDArray logits(NDArray decoderHidden) {
        return languageModel.logits(decoderHidden);
    }

    /** The full teacher-forced forward pass: -> logits [B, U, V]. */
    public NDArray forward(
            NDArray pixelValues,
            NDArray inputIds,
            NDArray attentionMask,
            NDArray decoderInputIds,
            ForwardOptions options,
            Trace trace) {
        return forward(visionFeatures(pixelValues, trace), inputIds, attentionMask, decoderInputIds, options, trace);
    }

    /** The teacher-forced forward pass from the vision tower's output ({@link #visionFeatures}): -> logits [B, U, V]. */
    public NDArray forward(
            FeatureMap visionFeatures,
            NDArray inputIds,
            NDArray attentionMask,
            NDArray decoderInputIds,
            ForwardOptions options,
            Trace trace) {
        EncoderOutput encoder =
                encodeFeatures(projectImage(visionFeatures, trace), inputIds, attentionMask, options, trace);
        NDArray hidden = decode(decoderInputIds, encoder, null);
        trace.record("decoder_last_hidden_state", hidden);
        NDArray logits = logits(hidden);
        trace.record("logits", logits);
        return logits;
    }

    /** A new decoder cache whose arrays belong to {@code owner}. */
    public DecoderCache newCache(NDManager owner) {
        return new DecoderCache(owner, numDecoderLayers());
    }

    @Override
    public void close() {
        parameters.close();
        manager.close();
    }
}
