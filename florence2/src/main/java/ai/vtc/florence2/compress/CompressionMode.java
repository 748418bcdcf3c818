package ai.vtc.florence2.compress;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the grid tokens are shortened (docs/architecture.md, "Visual-token compression"), with the parameters each method
 * takes. The library's table of the same methods the sweep knows ({@code ai.vtc.contracts.CompressionMethod}); here the
 * stage is required wherever it applies (the library has no defaults to fill in), and {@code random} also draws with a
 * seed, which a sweep takes from the trial.
 */
public enum CompressionMode {
    /** No compression: no parameter applies. */
    NONE("none", Set.of(), Set.of(), false),
    /** 1D average pooling along the token axis, kernel = stride = factor; the trailing n mod f tokens are dropped. */
    AVG_POOL("avg_pool", Set.of(Parameter.FACTOR, Parameter.STAGE), Set.of(Parameter.SORTED), false),
    /** One learnable weight per window position, shared by channels and windows; zero padding at the end. */
    LEARNABLE_POOL("learnable_pool", Set.of(Parameter.FACTOR, Parameter.STAGE), Set.of(Parameter.SORTED), false),
    /** 2D average pooling of k x k windows of the grid (factor = the kernel side k). */
    POOL2D(Pool2d.ID, Set.of(Parameter.FACTOR, Parameter.STAGE), Set.of(), false),
    /** FastV-style: the grid tokens that receive the most attention from the text in layer stage - 1. */
    ATTN_PRUNE(AttnPrune.ID, Set.of(Parameter.KEEP, Parameter.STAGE), Set.of(), true),
    /** DivPrune: max-min cosine diversity selection. */
    DIVPRUNE(DivPrune.ID, Set.of(Parameter.KEEP, Parameter.STAGE), Set.of(), false),
    /** VisionZip-style: dominant tokens by attention plus merged contextual tokens. */
    DOMINANT_MERGE(DominantMerge.ID, Set.of(Parameter.KEEP, Parameter.STAGE), Set.of(Parameter.DOMINANT), true),
    /** Control: grid tokens chosen uniformly at random, a function of the seed and the sample's key. */
    RANDOM(RandomSelection.ID, Set.of(Parameter.KEEP, Parameter.STAGE), Set.of(), false),
    /** Control: a smaller input image, so fewer grid tokens and a cheaper vision tower; nothing in the encoder. */
    DOWNSAMPLE("downsample", Set.of(Parameter.IMAGE_SIZE), Set.of(), false);

    /** A setting of a compression method, as spelt in sweeps and JSON. */
    public enum Parameter {
        FACTOR("factor", "the pooling window, or pool2d's kernel side"),
        STAGE("stage", "compress before encoder layer stage, 0 .. number of encoder layers"),
        SORTED("sorted", "sort every channel of the grid before pooling"),
        KEEP("keep", "grid tokens kept, >= 1"),
        DOMINANT("dominant", "dominant tokens among those kept, 1 .. keep - 1"),
        IMAGE_SIZE("image_size", "the input image side in pixels, a multiple of 32");

        private final String key;
        private final String meaning;

        Parameter(String key, String meaning) {
            this.key = key;
            this.meaning = meaning;
        }

        /** The key in sweeps and JSON ({@code image_size}, ...). */
        public String key() {
            return key;
        }

        /** What the parameter sets, for messages. */
        public String meaning() {
            return meaning;
        }
    }

    private final String id;
    private final Set<Parameter> required;
    private final Set<Parameter> optional;
    private final boolean needsAttention;

    CompressionMode(String id, Set<Parameter> required, Set<Parameter> optional, boolean needsAttention) {
        this.id = id;
        this.required = required.isEmpty() ? EnumSet.noneOf(Parameter.class) : EnumSet.copyOf(required);
        this.optional = optional.isEmpty() ? EnumSet.noneOf(Parameter.class) : EnumSet.copyOf(optional);
        this.needsAttention = needsAttention;
    }

    /** The name used in sweeps, JSON and on the command line ({@code none}, {@code avg_pool}, ...). */
    public String id() {
        return id;
    }

    /** True when {@code parameter} applies to this mode (required or optional). */
    public boolean takes(Parameter parameter) {
        return required.contains(parameter) || optional.contains(parameter);
    }

    /** True when a setting of this mode is incomplete without {@code parameter}. */
    public boolean requires(Parameter parameter) {
        return required.contains(parameter);
    }

    /** The parameters this mode takes, in declaration order. */
    public List<Parameter> parameters() {
        return Arrays.stream(Parameter.values()).filter(this::takes).toList();
    }

    /** True for LLaVolta's 1D poolings, the modes {@link VisualTokenCompressor} and staged schedules handle. */
    public boolean pools1d() {
        return this == AVG_POOL || this == LEARNABLE_POOL;
    }

    /** True for the modes applied as a {@link GridMethod} by {@link GridCompressionHook}. */
    public boolean isGridMethod() {
        return this == POOL2D || selects();
    }

    /** True for the modes that keep {@code keep} grid tokens (attn_prune, divprune, dominant_merge, random). */
    public boolean selects() {
        return requires(Parameter.KEEP);
    }

    /** True for the modes that read the attention of encoder layer stage - 1 (so need stage >= 1). */
    public boolean needsAttention() {
        return needsAttention;
    }

    /** True for the modes that act inside the language encoder at a stage (all but none and downsample). */
    public boolean hasStage() {
        return takes(Parameter.STAGE);
    }

    /** Parses a mode id (case-insensitive, '-' accepted for '_'). */
    public static CompressionMode parse(String text) {
        String normalised =
                text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (CompressionMode m : values()) {
            if (m.id.equals(normalised)) {
                return m;
            }
        }
        throw new InvalidCompressionException(
                "compression mode must be one of " + allowed() + ", got \"" + text + "\"");
    }

    static String allowed() {
        return Arrays.stream(values()).map(CompressionMode::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
