package ai.vtc.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What sweep validation and the results need to know about a model, read from its Hugging Face files: the encoder
 * depth, the image grid, and how pixels become grid positions. It owns the budget arithmetic: how many visual tokens a
 * compression setting leaves ({@link #visualTokens}).
 *
 * @param encoderLayers layers of the language encoder: stages 0 .. encoderLayers are valid
 * @param gridRows rows of the image grid at the processor's image size, or null when the image size is unknown
 * @param gridColumns columns of the image grid, or null when the image size is unknown
 * @param patchEmbeddings the convolutional patch embedding of every DaViT stage
 * @param maxPositions rows and columns the learned 2D position embedding covers ({@code max_pos_embeddings}), or
 *     null when the config does not say
 */
public record ModelFacts(
        int encoderLayers,
        Integer gridRows,
        Integer gridColumns,
        List<PatchEmbedding> patchEmbeddings,
        Integer maxPositions) {
    /** Florence-2's image features are downsampled 32 times (DaViT's four stages) unless its config says otherwise. */
    public static final int PATCH = 32;

    /** One DaViT stage's convolutional patch embedding: (n + 2 padding - kernel) / stride + 1 positions from n. */
    public record PatchEmbedding(int kernel, int stride, int padding) {
        int apply(int side) {
            return Math.floorDiv(side + 2 * padding - kernel, stride) + 1;
        }
    }

    /** Facts of a model whose vision tower downsamples {@value #PATCH} times and whose grid is known or not. */
    public ModelFacts(int encoderLayers, Integer gridRows, Integer gridColumns) {
        this(encoderLayers, gridRows, gridColumns, List.of(new PatchEmbedding(PATCH, PATCH, 0)), null);
    }

    /**
     * From {@code config.json} ({@code text_config.encoder_layers}, or a top-level {@code encoder_layers};
     * {@code vision_config}'s patch embeddings and {@code image_pos_embed.max_pos_embeddings}) and, when present,
     * {@code preprocessor_config.json} ({@code size} or {@code crop_size} as {@code {height, width}} or one number).
     *
     * @throws IllegalArgumentException when the config names no encoder layers
     */
    public static ModelFacts fromHuggingFace(JsonNode config, JsonNode preprocessor) {
        JsonNode layers = config.path("text_config").path("encoder_layers");
        if (!layers.isIntegralNumber()) {
            layers = config.path("encoder_layers");
        }
        if (!layers.isIntegralNumber() || layers.intValue() < 0) {
            throw new IllegalArgumentException("config.json has no text_config.encoder_layers");
        }
        JsonNode vision = config.path("vision_config");
        List<PatchEmbedding> strides = patchEmbeddings(vision);
        JsonNode maxPos = vision.path("image_pos_embed").path("max_pos_embeddings");
        Integer maxPositions = maxPos.isIntegralNumber() ? maxPos.intValue() : null;
        int[] size = preprocessor == null ? null : imageSize(preprocessor);
        return new ModelFacts(
                layers.intValue(),
                size == null ? null : featureSide(size[0], strides),
                size == null ? null : featureSide(size[1], strides),
                strides,
                maxPositions);
    }

    /** Grid tokens (rows x columns) at the processor's image size, or null when unknown. */
    public Integer gridTokens() {
        return gridRows == null || gridColumns == null ? null : gridRows * gridColumns;
    }

    /** Grid positions along one side for an image side of {@code pixels}. */
    public int featureSide(int pixels) {
        return featureSide(pixels, patchEmbeddings);
    }

    /**
     * Visual tokens the language model sees with {@code compression}: the global token plus the grid tokens the method
     * leaves (floor(n/f) for avg_pool, ceil(n/f) for learnable_pool, floor(h/k) * floor(w/k) for pool2d, keep for the
     * selection methods, the smaller image's grid for downsample), or null when that needs the image size and it is
     * unknown.
     */
    public Integer visualTokens(Compression compression) {
        Integer kept = gridTokensKept(compression);
        return kept == null ? null : 1 + kept;
    }

    /** The grid tokens {@code compression} leaves (see {@link #visualTokens}), or null when unknown. */
    public Integer gridTokensKept(Compression compression) {
        CompressionMethod method = compression.method();
        if (method == null) {
            throw new IllegalArgumentException("unknown compression mode " + compression.mode());
        }
        if (method == CompressionMethod.DOWNSAMPLE) {
            int side = featureSide(compression.imageSize());
            return side * side;
        }
        if (method.selects()) {
            return compression.keep();
        }
        Integer n = gridTokens();
        if (n == null) {
            return null;
        }
        return switch (method) {
            case NONE -> n;
            case AVG_POOL -> n / compression.factor();
            case LEARNABLE_POOL -> (n + compression.factor() - 1) / compression.factor();
            case POOL2D -> (gridRows / compression.factor()) * (gridColumns / compression.factor());
            default -> throw new IllegalStateException("no token count for " + method);
        };
    }

    private static int[] imageSize(JsonNode preprocessor) {
        for (String key : new String[] {"size", "crop_size"}) {
            JsonNode size = preprocessor.path(key);
            if (size.isIntegralNumber() && size.intValue() > 0) {
                return new int[] {size.intValue(), size.intValue()};
            }
            JsonNode height = size.path("height");
            JsonNode width = size.path("width");
            if (height.isIntegralNumber() && width.isIntegralNumber() && height.intValue() > 0) {
                return new int[] {height.intValue(), width.intValue()};
            }
        }
        return null;
    }

    /**
     * The patch embedding of every stage from {@code patch_size}, {@code patch_stride}, {@code patch_padding}, so that
     * models with other strides (the tiny demo config ends with stride 1) count right; one stride-32 stage without them.
     */
    private static List<PatchEmbedding> patchEmbeddings(JsonNode vision) {
        JsonNode strides = vision.path("patch_stride");
        if (!strides.isArray() || strides.isEmpty()) {
            return List.of(new PatchEmbedding(PATCH, PATCH, 0));
        }
        List<PatchEmbedding> out = new ArrayList<>();
        for (int i = 0; i < strides.size(); i++) {
            int stride = Math.max(1, strides.path(i).asInt(1));
            int kernel = vision.path("patch_size").path(i).asInt(stride);
            int padding = vision.path("patch_padding").path(i).asInt(0);
            out.add(new PatchEmbedding(kernel, stride, padding));
        }
        return List.copyOf(out);
    }

    /** Pixels to feature-map positions through the convolutional patch embeddings. */
    private static int featureSide(int pixels, List<PatchEmbedding> stages) {
        int side = pixels;
        for (PatchEmbedding stage : stages) {
            side = stage.apply(side);
        }
        return Math.max(0, side);
    }
}
