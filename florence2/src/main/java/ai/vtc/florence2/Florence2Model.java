package ai.vtc.florence2;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.io.CheckpointLoader;
import ai.vtc.florence2.io.ModelFolder;
import ai.vtc.florence2.language.DecoderCache;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.language.Florence2LanguageModel;
import ai.vtc.florence2.nn.ParameterStore;
import ai.vtc.florence2.nn.Trace;
import ai.vtc.florence2.vision.DaViT;
import ai.vtc.florence2.vision.FeatureMap;
import ai.vtc.florence2.vision.ImageProjection;
import java.nio.file.Path;

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
        try {
            CheckpointLoader.load(model.parameters, folder);
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

    /** Writes config.json and model.safetensors into {@code folder} (see {@link ModelFolder} for the tokenizer). */
    public void save(Path folder) {
        ModelFolder.saveWeights(this, folder);
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
        FeatureMap features = visionTower.forward(pixelValues, trace);
        trace.record("vision_features", features.tokens());
        NDArray imageFeatures = imageProjection.forward(features, trace);
        trace.record("image_features", imageFeatures);
        return imageFeatures;
    }

    /** ids [B, T] -> text embeddings [B, T, D] (the shared table, not scaled) */
    public NDArray embedText(NDArray inputIds) {
        return languageModel.embedText(inputIds);
    }

    /**
     * pixels [B, 3, H, W], ids [B, T], 0/1 text mask [B, T] (only used with {@link ForwardOptions#honourPaddingMask})
     * -> encoder output [B, L', D] with the mask it was computed with
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
        EncoderOutput out = languageModel.encoder().forward(inputsEmbeds, mask, options.encoderHook());
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
        EncoderOutput encoder = encode(pixelValues, inputIds, attentionMask, options, trace);
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
