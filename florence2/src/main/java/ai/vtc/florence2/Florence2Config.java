package ai.vtc.florence2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A Florence-2 {@code config.json} as Hugging Face writes it ({@code model_type: florence2} with {@code
 * vision_config} and {@code text_config}). {@link #parse} validates it and reports every problem at once; the
 * original JSON is kept so that saving a model writes back exactly the keys it was given.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Florence2Config(
        @JsonProperty("model_type") String modelType,
        @JsonProperty("vocab_size") Integer vocabSize,
        @JsonProperty("projection_dim") Integer projectionDim,
        @JsonProperty("bos_token_id") Integer bosTokenId,
        @JsonProperty("pad_token_id") Integer padTokenId,
        @JsonProperty("eos_token_id") Integer eosTokenId,
        @JsonProperty("vision_config") Florence2VisionConfig visionConfig,
        @JsonProperty("text_config") Florence2TextConfig textConfig,
        ObjectNode json) {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> FEATURE_SOURCES = Set.of("spatial_avg_pool", "temporal_avg_pool", "last_frame");

    public Florence2Config {
        visionConfig = Objects.requireNonNullElseGet(visionConfig, () -> bind("{}", Florence2VisionConfig.class));
        textConfig = Objects.requireNonNullElseGet(textConfig, () -> bind("{}", Florence2TextConfig.class));
        vocabSize = Objects.requireNonNullElse(vocabSize, textConfig.vocabSize());
        projectionDim = Objects.requireNonNullElse(projectionDim, visionConfig.projectionDim());
        bosTokenId = Objects.requireNonNullElse(bosTokenId, textConfig.bosTokenId());
        padTokenId = Objects.requireNonNullElse(padTokenId, textConfig.padTokenId());
        eosTokenId = Objects.requireNonNullElse(eosTokenId, textConfig.eosTokenId());
    }

    /** Parses and validates a {@code config.json}; an {@link IllegalArgumentException} lists every problem found. */
    public static Florence2Config parse(String json) {
        ObjectNode tree;
        try {
            tree = (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("config.json is not a JSON object: " + e.getMessage(), e);
        }
        Florence2Config bound;
        try {
            bound = MAPPER.treeToValue(tree, Florence2Config.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "config.json has a value of the wrong type: " + e.getOriginalMessage(), e);
        }
        Florence2Config config = new Florence2Config(
                bound.modelType,
                bound.vocabSize,
                bound.projectionDim,
                bound.bosTokenId,
                bound.padTokenId,
                bound.eosTokenId,
                bound.visionConfig,
                bound.textConfig,
                tree);
        List<String> errors = config.validate();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid Florence-2 config:\n  - " + String.join("\n  - ", errors));
        }
        return config;
    }

    public static Florence2Config read(Path configJson) {
        try {
            return parse(Files.readString(configJson, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + configJson, e);
        }
    }

    /** The project's tiny demo configuration (a few million parameters, 128 px), shipped as a resource. */
    public static Florence2Config tinyDemo() {
        return resource("tiny-demo-config.json");
    }

    /** Florence-2-base's architecture (DaViT [128,256,512,1024] / [1,1,9,1], d_model 768, 6+6 layers). */
    public static Florence2Config base() {
        return resource("base-config.json");
    }

    private static Florence2Config resource(String name) {
        try (InputStream in = Florence2Config.class.getResourceAsStream(name)) {
            return parse(new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public int dModel() {
        return textConfig.dModel();
    }

    /** Every problem with this configuration, each naming the key and what is allowed. */
    public List<String> validate() {
        List<String> e = new ArrayList<>();
        if (!"florence2".equals(modelType)) {
            e.add("model_type is " + quote(modelType) + ", only \"florence2\" is supported");
        }
        Florence2VisionConfig v = visionConfig;
        if (!"davit".equals(v.modelType())) {
            e.add("vision_config.model_type is " + quote(v.modelType()) + ", only \"davit\" is supported");
        }
        int stages = v.dimEmbed().size();
        if (stages == 0) {
            e.add("vision_config.dim_embed must list at least one stage");
        }
        checkLength(e, "patch_size", v.patchSize(), stages);
        checkLength(e, "patch_stride", v.patchStride(), stages);
        checkLength(e, "patch_padding", v.patchPadding(), stages);
        checkLength(e, "patch_prenorm", v.patchPrenorm(), stages);
        checkLength(e, "num_heads", v.numHeads(), stages);
        checkLength(e, "num_groups", v.numGroups(), stages);
        checkLength(e, "depths", v.depths(), stages);
        checkPositive(e, "vision_config.dim_embed", v.dimEmbed());
        checkPositive(e, "vision_config.patch_size", v.patchSize());
        checkPositive(e, "vision_config.patch_stride", v.patchStride());
        checkPositive(e, "vision_config.num_heads", v.numHeads());
        checkPositive(e, "vision_config.num_groups", v.numGroups());
        checkPositive(e, "vision_config.depths", v.depths());
        for (int i = 0; i < v.patchPadding().size(); i++) {
            if (v.patchPadding().get(i) < 0) {
                e.add("vision_config.patch_padding[" + i + "] must be >= 0, got "
                        + v.patchPadding().get(i));
            }
        }
        for (int i = 0;
                i < stages && i < v.numHeads().size() && i < v.numGroups().size();
                i++) {
            int dim = v.dimEmbed().get(i);
            if (v.numHeads().get(i) > 0 && dim % v.numHeads().get(i) != 0) {
                e.add("vision_config.dim_embed[" + i + "]=" + dim + " is not divisible by num_heads[" + i + "]="
                        + v.numHeads().get(i));
            }
            if (v.numGroups().get(i) > 0 && dim % v.numGroups().get(i) != 0) {
                e.add("vision_config.dim_embed[" + i + "]=" + dim + " is not divisible by num_groups[" + i + "]="
                        + v.numGroups().get(i));
            }
        }
        if (v.windowSize() < 1) {
            e.add("vision_config.window_size must be >= 1, got " + v.windowSize());
        }
        if (!"learned_abs_2d".equals(v.posEmbedType())) {
            e.add("vision_config.image_pos_embed.type is " + quote(v.posEmbedType())
                    + ", only \"learned_abs_2d\" is supported");
        }
        if (v.maxPosEmbeddings() < 1) {
            e.add("vision_config.image_pos_embed.max_pos_embeddings must be >= 1");
        }
        if (!"COSINE".equals(v.temporalEmbedType())) {
            e.add("vision_config.visual_temporal_embedding.type is " + quote(v.temporalEmbedType())
                    + ", only \"COSINE\" is supported");
        }
        if (v.maxTemporalEmbeddings() < 1) {
            e.add("vision_config.visual_temporal_embedding.max_temporal_embeddings must be >= 1");
        }
        if (v.imageFeatureSource().isEmpty()) {
            e.add("vision_config.image_feature_source must not be empty");
        }
        for (String source : v.imageFeatureSource()) {
            if (!FEATURE_SOURCES.contains(source)) {
                e.add("vision_config.image_feature_source has " + quote(source) + ", allowed: " + FEATURE_SOURCES);
            }
        }
        validateText(e);
        return e;
    }

    private void validateText(List<String> e) {
        Florence2TextConfig t = textConfig;
        if (t.dModel() < 1) {
            e.add("text_config.d_model must be >= 1, got " + t.dModel());
        }
        if (visionConfig.projectionDim() != (int) t.dModel()) {
            e.add("vision_config.projection_dim (" + visionConfig.projectionDim() + ") must equal text_config.d_model ("
                    + t.dModel() + "): image tokens are concatenated with text embeddings");
        }
        checkHeads(e, "encoder_attention_heads", t.encoderAttentionHeads(), t.dModel());
        checkHeads(e, "decoder_attention_heads", t.decoderAttentionHeads(), t.dModel());
        if (t.encoderLayers() < 0 || t.decoderLayers() < 1) {
            e.add("text_config.encoder_layers must be >= 0 and decoder_layers >= 1, got " + t.encoderLayers() + " and "
                    + t.decoderLayers());
        }
        if (t.encoderFfnDim() < 1 || t.decoderFfnDim() < 1) {
            e.add("text_config.encoder_ffn_dim and decoder_ffn_dim must be >= 1");
        }
        if (t.maxPositionEmbeddings() < 1) {
            e.add("text_config.max_position_embeddings must be >= 1, got " + t.maxPositionEmbeddings());
        }
        if (t.vocabSize() < 1) {
            e.add("text_config.vocab_size must be >= 1, got " + t.vocabSize());
        }
        if (!vocabSize.equals(t.vocabSize())) {
            e.add("vocab_size (" + vocabSize + ") differs from text_config.vocab_size (" + t.vocabSize() + ")");
        }
        if (!"gelu".equals(t.activationFunction()) && !"relu".equals(t.activationFunction())) {
            e.add("text_config.activation_function is " + quote(t.activationFunction())
                    + ", supported: \"gelu\", \"relu\"");
        }
        checkToken(e, "text_config.bos_token_id", t.bosTokenId(), t.vocabSize());
        checkToken(e, "text_config.pad_token_id", t.padTokenId(), t.vocabSize());
        checkToken(e, "text_config.eos_token_id", t.eosTokenId(), t.vocabSize());
        checkToken(e, "text_config.decoder_start_token_id", t.decoderStartTokenId(), t.vocabSize());
        if (t.forcedBosTokenId() != null) {
            checkToken(e, "text_config.forced_bos_token_id", t.forcedBosTokenId(), t.vocabSize());
        }
        checkToken(e, "text_config.forced_eos_token_id", t.forcedEosTokenId(), t.vocabSize());
        if (t.numBeams() < 1) {
            e.add("text_config.num_beams must be >= 1, got " + t.numBeams());
        }
        if (t.noRepeatNgramSize() < 0) {
            e.add("text_config.no_repeat_ngram_size must be >= 0, got " + t.noRepeatNgramSize());
        }
    }

    private static void checkLength(List<String> e, String key, List<?> values, int stages) {
        if (values.size() != stages) {
            e.add("vision_config." + key + " has " + values.size() + " entries but dim_embed has " + stages
                    + " stages");
        }
    }

    private static void checkPositive(List<String> e, String key, List<Integer> values) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || values.get(i) < 1) {
                e.add(key + "[" + i + "] must be >= 1, got " + values.get(i));
            }
        }
    }

    private static void checkHeads(List<String> e, String key, int heads, int dModel) {
        if (heads < 1 || dModel % heads != 0) {
            e.add("text_config." + key + "=" + heads + " must be >= 1 and divide d_model=" + dModel);
        }
    }

    private static void checkToken(List<String> e, String key, int id, int vocab) {
        if (id < 0 || id >= vocab) {
            e.add(key + "=" + id + " is outside the vocabulary [0, " + vocab + ")");
        }
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    private static <T> T bind(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
