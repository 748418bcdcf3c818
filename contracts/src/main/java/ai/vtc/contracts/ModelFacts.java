package ai.vtc.contracts;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What sweep validation needs to know about a model, read from its Hugging Face files.
 *
 * @param encoderLayers layers of the language encoder: stages 0 .. encoderLayers are valid
 * @param gridTokens image grid tokens (rows x columns after DaViT's patch embeddings: (H/32) x (W/32) for the
 *     released models), or null when the image size is unknown
 */
public record ModelFacts(int encoderLayers, Integer gridTokens) {
    /** Florence-2's image features are downsampled 32 times (DaViT's four stages) unless its config says otherwise. */
    public static final int PATCH = 32;

    /**
     * From {@code config.json} ({@code text_config.encoder_layers}, or a top-level {@code encoder_layers}) and, when
     * present, {@code preprocessor_config.json} ({@code size} or {@code crop_size} as {@code {height, width}} or
     * one number).
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
        return new ModelFacts(layers.intValue(), preprocessor == null ? null : gridTokens(preprocessor, vision));
    }

    private static Integer gridTokens(JsonNode preprocessor, JsonNode vision) {
        for (String key : new String[] {"size", "crop_size"}) {
            JsonNode size = preprocessor.path(key);
            if (size.isIntegralNumber() && size.intValue() > 0) {
                int side = featureSide(size.intValue(), vision);
                return side * side;
            }
            JsonNode height = size.path("height");
            JsonNode width = size.path("width");
            if (height.isIntegralNumber() && width.isIntegralNumber() && height.intValue() > 0) {
                return featureSide(height.intValue(), vision) * featureSide(width.intValue(), vision);
            }
        }
        return null;
    }

    /**
     * Pixels to feature-map positions through the convolutional patch embeddings of {@code vision_config}
     * ({@code patch_size}, {@code patch_stride}, {@code patch_padding} per stage: {@code (n + 2p - k) / s + 1}), so
     * that models with other strides (the tiny demo config ends with stride 1) count right; {@code n / 32} without them.
     */
    private static int featureSide(int pixels, JsonNode vision) {
        JsonNode strides = vision.path("patch_stride");
        if (!strides.isArray() || strides.isEmpty()) {
            return pixels / PATCH;
        }
        int side = pixels;
        for (int i = 0; i < strides.size(); i++) {
            int stride = strides.path(i).asInt(1);
            int kernel = vision.path("patch_size").path(i).asInt(stride);
            int padding = vision.path("patch_padding").path(i).asInt(0);
            side = Math.floorDiv(side + 2 * padding - kernel, Math.max(1, stride)) + 1;
        }
        return Math.max(0, side);
    }
}
