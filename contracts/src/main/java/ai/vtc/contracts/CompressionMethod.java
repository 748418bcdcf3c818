package ai.vtc.contracts;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The compression methods a trial can use and which parameters each takes (docs/architecture.md, "Visual-token
 * compression"). The sweep spec's validation and expansion read this table, so a parameter that does not apply to a
 * method is refused with its path instead of being silently ignored.
 */
public enum CompressionMethod {
    /** No compression. */
    NONE("none", Set.of(), Set.of(), false),
    /** LLaVolta's 1D average pooling of the grid tokens, kernel = stride = factor. */
    AVG_POOL("avg_pool", Set.of(Parameter.FACTOR), Set.of(Parameter.STAGE, Parameter.SORTED), false),
    /** One learnable weight per window position (initialised to average pooling). */
    LEARNABLE_POOL("learnable_pool", Set.of(Parameter.FACTOR), Set.of(Parameter.STAGE, Parameter.SORTED), false),
    /** 2D average pooling of k x k windows of the grid (factor = kernel side). */
    POOL2D("pool2d", Set.of(Parameter.FACTOR), Set.of(Parameter.STAGE), false),
    /** FastV-style: keep the grid tokens that receive the most attention from the text (layer K-1). */
    ATTN_PRUNE("attn_prune", Set.of(Parameter.KEEP), Set.of(Parameter.STAGE), true),
    /** DivPrune: max-min cosine diversity selection. */
    DIVPRUNE("divprune", Set.of(Parameter.KEEP), Set.of(Parameter.STAGE), false),
    /** VisionZip-style: dominant tokens by attention plus merged contextual tokens. */
    DOMINANT_MERGE("dominant_merge", Set.of(Parameter.KEEP), Set.of(Parameter.STAGE, Parameter.DOMINANT), true),
    /** Control: keep grid tokens chosen uniformly at random (a function of the trial seed and the question). */
    RANDOM("random", Set.of(Parameter.KEEP), Set.of(Parameter.STAGE), false),
    /** Control: a smaller input image (fewer grid tokens, cheaper vision tower). */
    DOWNSAMPLE("downsample", Set.of(Parameter.IMAGE_SIZE), Set.of(), false);

    /** A setting of a compression method, as spelt in sweeps and JSON. */
    public enum Parameter {
        FACTOR("factor"),
        STAGE("stage"),
        SORTED("sorted"),
        KEEP("keep"),
        DOMINANT("dominant"),
        IMAGE_SIZE("image_size");

        private final String key;

        Parameter(String key) {
            this.key = key;
        }

        /** The key in sweeps and JSON ({@code image_size}, ...). */
        public String key() {
            return key;
        }

        /** The methods that take this parameter, for messages. */
        public List<CompressionMethod> methods() {
            return Arrays.stream(CompressionMethod.values())
                    .filter(m -> m.takes(this))
                    .toList();
        }
    }

    private final String id;
    private final Set<Parameter> required;
    private final Set<Parameter> optional;
    private final boolean needsAttention;

    CompressionMethod(String id, Set<Parameter> required, Set<Parameter> optional, boolean needsAttention) {
        this.id = id;
        this.required = required.isEmpty() ? EnumSet.noneOf(Parameter.class) : EnumSet.copyOf(required);
        this.optional = optional.isEmpty() ? EnumSet.noneOf(Parameter.class) : EnumSet.copyOf(optional);
        this.needsAttention = needsAttention;
    }

    /** The name in sweeps, JSON and on the command line. */
    public String id() {
        return id;
    }

    /** True when {@code parameter} applies to this method (required or optional). */
    public boolean takes(Parameter parameter) {
        return required.contains(parameter) || optional.contains(parameter);
    }

    /** True when a setting of this method is incomplete without {@code parameter}. */
    public boolean requires(Parameter parameter) {
        return required.contains(parameter);
    }

    /**
     * True for methods that read the attention probabilities of encoder layer K-1: they need stage K >= 1.
     */
    public boolean needsAttention() {
        return needsAttention;
    }

    /** True for methods that select (or merge into) {@code keep} grid tokens. */
    public boolean selects() {
        return requires(Parameter.KEEP);
    }

    /** The method named {@code id}, or null. */
    public static CompressionMethod byId(String id) {
        for (CompressionMethod m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        return null;
    }

    /** Every method's name, in declaration order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(CompressionMethod::id).toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
