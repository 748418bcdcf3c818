package ai.vtc.florence2.train;

import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.CompressionMode;
import ai.vtc.florence2.nn.Param;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which parameters training updates (docs/architecture.md, "Training and inference"); the rest stay frozen and get no
 * gradients.
 */
public enum Trainable {
    /** Only the learnable pooling weight {@value Florence2Model#VISUAL_POOLING_WEIGHT} (needs learnable_pool). */
    POOLING,
    /** Everything but the DaViT vision tower ({@code vision_tower.*}): projection, encoder, decoder, pooling. */
    LANGUAGE,
    /** Every parameter. */
    ALL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Trainable parse(String text) {
        for (Trainable t : values()) {
            if (t.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("trainable must be one of pooling, language, all, got \"" + text + "\"");
    }

    /**
     * The trainable parameters in declaration order (buffers never train). The pooling weight is included only when
     * {@code compression} is learnable_pool: other modes do not use it.
     */
    public Map<String, Param> select(Florence2Model model, Compression compression) {
        boolean learnable = compression.mode() == CompressionMode.LEARNABLE_POOL;
        if (this == POOLING && !learnable) {
            throw new IllegalArgumentException(
                    "trainable pooling needs compression learnable_pool (its weights are the only pooling"
                            + " parameters), got " + compression);
        }
        Map<String, Param> out = new LinkedHashMap<>();
        for (Param p : model.parameters().params()) {
            boolean pooling = p.name().equals(Florence2Model.VISUAL_POOLING_WEIGHT);
            boolean take = switch (this) {
                case POOLING -> pooling;
                case LANGUAGE -> !p.isBuffer() && !p.name().startsWith("vision_tower.") && (!pooling || learnable);
                case ALL -> !p.isBuffer() && (!pooling || learnable);
            };
            if (take) {
                out.put(p.name(), p);
            }
        }
        return out;
    }
}
