package ai.vtc.florence2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code vision_config} of a Florence-2 {@code config.json}: the DaViT tower and the image-token embeddings. Missing
 * keys take the defaults of Microsoft's {@code Florence2VisionConfig}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Florence2VisionConfig(
        @JsonProperty("model_type") String modelType,
        @JsonProperty("drop_path_rate") Double dropPathRate,
        @JsonProperty("patch_size") List<Integer> patchSize,
        @JsonProperty("patch_stride") List<Integer> patchStride,
        @JsonProperty("patch_padding") List<Integer> patchPadding,
        @JsonProperty("patch_prenorm") List<Boolean> patchPrenorm,
        @JsonProperty("dim_embed") List<Integer> dimEmbed,
        @JsonProperty("num_heads") List<Integer> numHeads,
        @JsonProperty("num_groups") List<Integer> numGroups,
        @JsonProperty("depths") List<Integer> depths,
        @JsonProperty("window_size") Integer windowSize,
        @JsonProperty("projection_dim") Integer projectionDim,
        @JsonProperty("visual_temporal_embedding") Map<String, Object> visualTemporalEmbedding,
        @JsonProperty("image_pos_embed") Map<String, Object> imagePosEmbed,
        @JsonProperty("image_feature_source") List<String> imageFeatureSource) {

    public Florence2VisionConfig {
        modelType = Objects.requireNonNullElse(modelType, "davit");
        dropPathRate = Objects.requireNonNullElse(dropPathRate, 0.1);
        patchSize = Objects.requireNonNullElse(patchSize, List.of(7, 3, 3, 3));
        patchStride = Objects.requireNonNullElse(patchStride, List.of(4, 2, 2, 2));
        patchPadding = Objects.requireNonNullElse(patchPadding, List.of(3, 1, 1, 1));
        patchPrenorm = Objects.requireNonNullElse(patchPrenorm, List.of(false, true, true, true));
        dimEmbed = Objects.requireNonNullElse(dimEmbed, List.of(256, 512, 1024, 2048));
        numHeads = Objects.requireNonNullElse(numHeads, List.of(8, 16, 32, 64));
        numGroups = Objects.requireNonNullElse(numGroups, List.of(8, 16, 32, 64));
        depths = Objects.requireNonNullElse(depths, List.of(1, 1, 9, 1));
        windowSize = Objects.requireNonNullElse(windowSize, 12);
        projectionDim = Objects.requireNonNullElse(projectionDim, 1024);
        visualTemporalEmbedding = Objects.requireNonNullElse(
                visualTemporalEmbedding, Map.of("type", "COSINE", "max_temporal_embeddings", 100));
        imagePosEmbed =
                Objects.requireNonNullElse(imagePosEmbed, Map.of("type", "learned_abs_2d", "max_pos_embeddings", 100));
        imageFeatureSource =
                Objects.requireNonNullElse(imageFeatureSource, List.of("spatial_avg_pool", "temporal_avg_pool"));
    }

    public int numStages() {
        return dimEmbed.size();
    }

    /** Channels of the last stage: the width of the image tokens before {@code image_projection}. */
    public int outDim() {
        return dimEmbed.get(dimEmbed.size() - 1);
    }

    public String posEmbedType() {
        return String.valueOf(imagePosEmbed.get("type"));
    }

    public int maxPosEmbeddings() {
        return intValue(imagePosEmbed.get("max_pos_embeddings"));
    }

    public String temporalEmbedType() {
        return String.valueOf(visualTemporalEmbedding.get("type"));
    }

    public int maxTemporalEmbeddings() {
        return intValue(visualTemporalEmbedding.get("max_temporal_embeddings"));
    }

    private static int intValue(Object value) {
        return value instanceof Number n ? n.intValue() : -1;
    }
}
