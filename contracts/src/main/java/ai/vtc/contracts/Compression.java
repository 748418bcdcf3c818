package ai.vtc.contracts;

import ai.vtc.contracts.CompressionMethod.Parameter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Visual-token compression of one trial (docs/architecture.md, "Visual-token compression"). Only the parameters that
 * apply to {@link #mode} are set (see {@link CompressionMethod}); the others are null and absent from the JSON, so
 * the trial ids of pooling trials are those they always had.
 *
 * @param mode a {@link CompressionMethod} id ({@code none}, {@code avg_pool}, {@code pool2d}, {@code attn_prune}, ...)
 * @param factor pooling window and stride (avg_pool, learnable_pool) or kernel side (pool2d)
 * @param stage encoder layer index before which the grid tokens are compressed (0 .. encoder layers)
 * @param sorted sort every channel of the grid block before pooling (avg_pool, learnable_pool)
 * @param keep grid tokens kept by a selection method (attn_prune, divprune, dominant_merge, random)
 * @param dominant dominant tokens of dominant_merge (the other keep - dominant are merged contextual tokens)
 * @param imageSize input image side in pixels (downsample)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Compression(
        String mode, Integer factor, Integer stage, Boolean sorted, Integer keep, Integer dominant, Integer imageSize) {
    public static final String NONE = CompressionMethod.NONE.id();
    public static final String AVG_POOL = CompressionMethod.AVG_POOL.id();
    public static final String LEARNABLE_POOL = CompressionMethod.LEARNABLE_POOL.id();

    /** A 1D pooling setting (avg_pool, learnable_pool), or none with all three null. */
    public Compression(String mode, Integer factor, Integer stage, Boolean sorted) {
        this(mode, factor, stage, sorted, null, null, null);
    }

    public static Compression none() {
        return new Compression(NONE, null, null, null);
    }

    /** {@code method} keeping {@code keep} grid tokens before encoder layer {@code stage} (dominant: its default). */
    public static Compression selection(CompressionMethod method, int keep, int stage) {
        return new Compression(method.id(), null, stage, null, keep, null, null).resolved();
    }

    /**
     * The default number of dominant tokens of dominant_merge for a budget of {@code keep}: min(round(0.84 r), r - 1)
     * (VisionZip's 54 of 64; 0.84 r is never halfway between integers, so the rounding rule does not matter).
     */
    public static int defaultDominant(int keep) {
        return (int) Math.min(Math.round(0.84 * keep), keep - 1L);
    }

    @JsonIgnore
    public boolean isNone() {
        return NONE.equals(mode);
    }

    /** The method, or null for an unknown mode (a spec is validated before it gets here). */
    @JsonIgnore
    public CompressionMethod method() {
        return CompressionMethod.byId(mode);
    }

    /**
     * This setting with every optional parameter its method takes filled with its default (stage 0, sorted false,
     * the default dominant count) and nothing its method does not take, so that two spellings of one trial have one
     * canonical JSON and one id.
     */
    public Compression resolved() {
        CompressionMethod m = method();
        if (m == null) {
            return this;
        }
        Integer k = m.takes(Parameter.KEEP) ? keep : null;
        return new Compression(
                mode,
                m.takes(Parameter.FACTOR) ? factor : null,
                m.takes(Parameter.STAGE) ? (stage == null ? SpecDefaults.STAGE : stage) : null,
                m.takes(Parameter.SORTED) ? (sorted == null ? SpecDefaults.SORTED : sorted) : null,
                k,
                m.takes(Parameter.DOMINANT) ? (dominant == null && k != null ? defaultDominant(k) : dominant) : null,
                m.takes(Parameter.IMAGE_SIZE) ? imageSize : null);
    }

    /** E.g. {@code none}, {@code avg_pool f=4 stage=2 sorted}, {@code dominant_merge keep=36 dominant=30 stage=2}. */
    public String label() {
        if (isNone()) {
            return NONE;
        }
        StringBuilder out = new StringBuilder(mode);
        if (factor != null) {
            out.append(" f=").append(factor);
        }
        if (keep != null) {
            out.append(" keep=").append(keep);
        }
        if (dominant != null) {
            out.append(" dominant=").append(dominant);
        }
        if (imageSize != null) {
            out.append(" size=").append(imageSize);
        }
        if (stage != null) {
            out.append(" stage=").append(stage);
        }
        if (Boolean.TRUE.equals(sorted)) {
            out.append(" sorted");
        }
        return out.toString();
    }
}
