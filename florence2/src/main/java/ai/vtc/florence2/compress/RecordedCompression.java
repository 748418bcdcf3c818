package ai.vtc.florence2.compress;

import ai.vtc.florence2.Florence2Config;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The compression a model was trained with, recorded in its {@code config.json} under {@code text_config} as the
 * original LLaVolta-style Florence-2 code does ({@code compression_mode}, {@code compression_factor}, {@code
 * compression_stage}, {@code compression_sorted}), plus the parameters of the other methods ({@code compression_keep},
 * {@code compression_dominant}, {@code compression_image_size}, and {@code compression_seed}, with which {@code random}
 * draws its tokens). A parameter the mode does not take has its neutral value ({@link Compression}). So a trained
 * checkpoint folder says how it must be run: a learnable_pool weight means nothing without its factor and stage.
 */
public final class RecordedCompression {

    public static final String MODE = "compression_mode";
    public static final String FACTOR = "compression_factor";
    public static final String STAGE = "compression_stage";
    public static final String SORTED = "compression_sorted";
    public static final String KEEP = "compression_keep";
    public static final String DOMINANT = "compression_dominant";
    public static final String IMAGE_SIZE = "compression_image_size";
    public static final String SEED = "compression_seed";

    private static final String TEXT_CONFIG = "text_config";

    private RecordedCompression() {}

    /** {@code config} with {@code compression} recorded in its {@code text_config}; every other key as it was. */
    public static Florence2Config record(Florence2Config config, Compression compression) {
        ObjectNode tree = config.json().deepCopy();
        JsonNode existing = tree.get(TEXT_CONFIG);
        ObjectNode text = existing instanceof ObjectNode o ? o : tree.putObject(TEXT_CONFIG);
        text.put(MODE, compression.mode().id());
        text.put(FACTOR, compression.factor());
        text.put(STAGE, compression.stage());
        text.put(SORTED, compression.sorted());
        text.put(KEEP, compression.keep());
        text.put(DOMINANT, compression.dominant());
        text.put(IMAGE_SIZE, compression.imageSize());
        text.put(SEED, compression.seed());
        return Florence2Config.parse(tree.toString());
    }

    /**
     * The compression recorded in {@code config}, or empty when its {@code text_config} has no {@code
     * compression_mode} (a model as Microsoft published it).
     *
     * @throws InvalidCompressionException when the recorded values are not a valid setting, naming the key
     */
    public static Optional<Compression> of(Florence2Config config) {
        JsonNode text = config.json().path(TEXT_CONFIG);
        JsonNode mode = text.path(MODE);
        if (mode.isMissingNode() || mode.isNull()) {
            return Optional.empty();
        }
        if (!mode.isTextual()) {
            throw new InvalidCompressionException("config.json text_config." + MODE + " must be a string, got " + mode);
        }
        try {
            return Optional.of(new Compression(
                    CompressionMode.parse(mode.textValue()),
                    integer(text, FACTOR, 1),
                    integer(text, STAGE, 0),
                    flag(text, SORTED),
                    integer(text, KEEP, 0),
                    integer(text, DOMINANT, 0),
                    integer(text, IMAGE_SIZE, 0),
                    text.path(SEED).asLong(0)));
        } catch (InvalidCompressionException e) {
            throw new InvalidCompressionException(
                    "config.json text_config records an invalid compression: " + e.getMessage());
        }
    }

    private static int integer(JsonNode text, String key, int neutral) {
        JsonNode value = text.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return neutral;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new InvalidCompressionException(
                    "config.json text_config." + key + " must be an integer, got " + value);
        }
        return value.intValue();
    }

    private static boolean flag(JsonNode text, String key) {
        JsonNode value = text.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidCompressionException(
                    "config.json text_config." + key + " must be true or false, got " + value);
        }
        return value.booleanValue();
    }
}
