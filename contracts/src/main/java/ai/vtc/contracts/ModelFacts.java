package ai.vtc.contracts;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What sweep validation needs to know about a model, read from its Hugging Face files.
 *
 * @param encoderLayers layers of the language encoder: stages 0 .. encoderLayers are valid
 * @param gridTokens image grid tokens ((H/32) x (W/32)), or null when the image size is unknown
 */
public record ModelFacts(int encoderLayers, Integer gridTokens) {
    /** Florence-2's image features are downsampled 32 times (DaViT's four stages). */
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
        return new ModelFacts(layers.intValue(), preprocessor == null ? null : gridTokens(preprocessor));
    }

    private static Integer gridTokens(JsonNode preprocessor) {
        for (String key : new String[] {"size", "crop_size"}) {
            JsonNode size = preprocessor.path(key);
            if (size.isIntegralNumber() && size.intValue() > 0) {
                int side = size.intValue() / PATCH;
                return side * side;
            }
            JsonNode height = size.path("height");
            JsonNode width = size.path("width");
            if (height.isIntegralNumber() && width.isIntegralNumber() && height.intValue() > 0) {
                return (height.intValue() / PATCH) * (width.intValue() / PATCH);
            }
        }
        return null;
    }
}
