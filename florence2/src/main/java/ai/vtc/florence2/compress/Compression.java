package ai.vtc.florence2.compress;

import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2ImageProcessor;
import ai.vtc.florence2.compress.CompressionMode.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One visual-token compression setting (docs/architecture.md, "Visual-token compression"): the mode and the parameters
 * it takes ({@link CompressionMode}). Before language-encoder layer {@code stage} (0 .. number of encoder layers; the
 * last value acts on the encoder output, before the decoder's cross-attention) the h*w grid tokens are pooled (1D by
 * {@code factor}, optionally after sorting every channel, or 2D with kernel {@code factor}), selected down to
 * {@code keep} tokens, or merged into {@code keep} tokens of which {@code dominant} are kept as they are; {@code
 * downsample} instead runs the model on {@code imageSize} pixels. The global image token and the text tokens are kept.
 *
 * <p>Parameters a mode does not take have their neutral value (factor 1, stage 0, unsorted, keep, dominant and image
 * size 0, seed 0), so that one setting has one value. The constructor checks what does not depend on a model (the
 * library allows pool2d kernel 1 and, at a model, keep = n: identities the sweep refuses); {@link #validateFor} checks
 * the stage, factor, kernel, budget and image size against a model. Both throw {@link InvalidCompressionException}
 * naming the setting and its allowed range.
 *
 * @param mode the method
 * @param factor 1D pooling window (avg_pool, learnable_pool) or 2D kernel side (pool2d)
 * @param stage the encoder stage it runs at (all modes but none and downsample)
 * @param sorted sort every channel of the grid before 1D pooling
 * @param keep grid tokens kept (attn_prune, divprune, dominant_merge, random)
 * @param dominant dominant tokens of dominant_merge
 * @param imageSize the input image side of downsample
 * @param seed the seed random draws its tokens with (a trial's seed); 0 for the other modes
 */
public record Compression(
        CompressionMode mode, int factor, int stage, boolean sorted, int keep, int dominant, int imageSize, long seed) {

    /** The vision tower's total stride in Florence-2: downsample sizes are multiples of it. */
    public static final int IMAGE_SIZE_STEP = 32;

    private static final Compression NONE = new Compression(CompressionMode.NONE, 1, 0, false);

    public Compression {
        if (mode == null) {
            throw new InvalidCompressionException("compression mode must be one of " + CompressionMode.allowed());
        }
        List<String> notTaken = new ArrayList<>();
        notNeutral(mode, Parameter.FACTOR, factor != 1, notTaken);
        notNeutral(mode, Parameter.STAGE, stage != 0, notTaken);
        notNeutral(mode, Parameter.SORTED, sorted, notTaken);
        notNeutral(mode, Parameter.KEEP, keep != 0, notTaken);
        notNeutral(mode, Parameter.DOMINANT, dominant != 0, notTaken);
        notNeutral(mode, Parameter.IMAGE_SIZE, imageSize != 0, notTaken);
        if (mode != CompressionMode.RANDOM && seed != 0) {
            notTaken.add("seed");
        }
        if (!notTaken.isEmpty()) {
            throw new InvalidCompressionException(notApplying(mode, notTaken));
        }
        if (mode.pools1d() && factor < 2) {
            throw new InvalidCompressionException(
                    "factor must be >= 2 for " + mode.id() + " (the pooling window), got " + factor);
        }
        if (mode.hasStage() && stage < 0) {
            throw new InvalidCompressionException("stage must be >= 0 (0 .. number of encoder layers), got " + stage);
        }
        if (mode == CompressionMode.DOWNSAMPLE && (imageSize < IMAGE_SIZE_STEP || imageSize % IMAGE_SIZE_STEP != 0)) {
            throw new InvalidCompressionException("image_size must be a positive multiple of " + IMAGE_SIZE_STEP
                    + " for downsample (the vision tower's stride), got " + imageSize);
        }
    }

    /** A 1D pooling setting or none (factor 1, stage 0, unsorted), as before the other methods existed. */
    public Compression(CompressionMode mode, int factor, int stage, boolean sorted) {
        this(mode, factor, stage, sorted, 0, 0, 0, 0);
    }

    public static Compression none() {
        return NONE;
    }

    public static Compression avgPool(int factor, int stage, boolean sorted) {
        return new Compression(CompressionMode.AVG_POOL, factor, stage, sorted);
    }

    public static Compression learnablePool(int factor, int stage, boolean sorted) {
        return new Compression(CompressionMode.LEARNABLE_POOL, factor, stage, sorted);
    }

    /** 2D average pooling of {@code kernel} x {@code kernel} windows before layer {@code stage}. */
    public static Compression pool2d(int kernel, int stage) {
        return checked(new Compression(CompressionMode.POOL2D, kernel, stage, false, 0, 0, 0, 0));
    }

    /** attn_prune keeping {@code keep} grid tokens before layer {@code stage} (>= 1). */
    public static Compression attnPrune(int keep, int stage) {
        return checked(new Compression(CompressionMode.ATTN_PRUNE, 1, stage, false, keep, 0, 0, 0));
    }

    /** divprune keeping {@code keep} grid tokens before layer {@code stage}. */
    public static Compression divPrune(int keep, int stage) {
        return checked(new Compression(CompressionMode.DIVPRUNE, 1, stage, false, keep, 0, 0, 0));
    }

    /** dominant_merge to {@code keep} tokens, {@code dominant} of them kept as they are, before layer {@code stage}. */
    public static Compression dominantMerge(int keep, int dominant, int stage) {
        return checked(new Compression(CompressionMode.DOMINANT_MERGE, 1, stage, false, keep, dominant, 0, 0));
    }

    /** dominant_merge with the default number of dominant tokens, min(round(0.84 keep), keep - 1). */
    public static Compression dominantMerge(int keep, int stage) {
        return dominantMerge(keep, DominantMerge.defaultDominant(keep), stage);
    }

    /** random keeping {@code keep} grid tokens before layer {@code stage}, drawn with {@code seed} (the trial's). */
    public static Compression random(int keep, int stage, long seed) {
        return checked(new Compression(CompressionMode.RANDOM, 1, stage, false, keep, 0, 0, seed));
    }

    /** The model run on {@code imageSize} x {@code imageSize} pixels. */
    public static Compression downsample(int imageSize) {
        return new Compression(CompressionMode.DOWNSAMPLE, 1, 0, false, 0, 0, imageSize, 0);
    }

    /**
     * From loosely typed 1D pooling settings: {@code mode} none / avg_pool / learnable_pool; factor and stage are
     * required for pooling and must be absent for none; sorted defaults to false.
     */
    public static Compression of(String mode, Integer factor, Integer stage, Boolean sorted) {
        return of(mode, factor, stage, sorted, null, null, null, 0);
    }

    /**
     * From loosely typed settings (a sweep's trial, the command line): the parameters the mode does not take must be
     * null (or sorted false), the required ones present; sorted defaults to false, dominant to min(round(0.84 keep),
     * keep - 1).
     *
     * @param seed the trial's seed, which random draws its tokens with; ignored by the other modes
     */
    public static Compression of(
            String mode,
            Integer factor,
            Integer stage,
            Boolean sorted,
            Integer keep,
            Integer dominant,
            Integer imageSize,
            long seed) {
        CompressionMode m = CompressionMode.parse(mode);
        List<String> notTaken = new ArrayList<>();
        given(m, Parameter.FACTOR, factor, notTaken);
        given(m, Parameter.STAGE, stage, notTaken);
        given(m, Parameter.SORTED, Boolean.TRUE.equals(sorted) ? sorted : null, notTaken);
        given(m, Parameter.KEEP, keep, notTaken);
        given(m, Parameter.DOMINANT, dominant, notTaken);
        given(m, Parameter.IMAGE_SIZE, imageSize, notTaken);
        if (!notTaken.isEmpty()) {
            throw new InvalidCompressionException(notApplying(m, notTaken));
        }
        required(m, Parameter.FACTOR, factor, "an integer >= 2");
        required(m, Parameter.KEEP, keep, "grid tokens kept, an integer >= 1");
        required(m, Parameter.IMAGE_SIZE, imageSize, "a multiple of " + IMAGE_SIZE_STEP);
        required(m, Parameter.STAGE, stage, "0 .. number of encoder layers");
        return switch (m) {
            case NONE -> NONE;
            case AVG_POOL, LEARNABLE_POOL -> new Compression(m, factor, stage, Boolean.TRUE.equals(sorted));
            case POOL2D -> pool2d(factor, stage);
            case ATTN_PRUNE -> attnPrune(keep, stage);
            case DIVPRUNE -> divPrune(keep, stage);
            case DOMINANT_MERGE -> dominant == null ? dominantMerge(keep, stage) : dominantMerge(keep, dominant, stage);
            case RANDOM -> random(keep, stage, seed);
            case DOWNSAMPLE -> downsample(imageSize);
        };
    }

    public boolean isNone() {
        return mode == CompressionMode.NONE;
    }

    /** The same 1D pooling at another stage and factor (a phase of a staged schedule); none stays none. */
    public Compression at(int newStage, int newFactor) {
        if (isNone()) {
            return this;
        }
        if (!mode.pools1d()) {
            throw new InvalidCompressionException(
                    "only avg_pool and learnable_pool change stage and factor by phase, not " + mode.id());
        }
        return new Compression(mode, newFactor, newStage, sorted);
    }

    /**
     * The phase-1 method of a grid mode (pool2d and the selections), applied by {@link GridCompressionHook}; null for
     * the other modes.
     */
    public GridMethod gridMethod() {
        return switch (mode) {
            case POOL2D -> new Pool2d(factor);
            case ATTN_PRUNE -> new AttnPrune(keep);
            case DIVPRUNE -> new DivPrune(keep);
            case DOMINANT_MERGE -> new DominantMerge(keep, dominant);
            case RANDOM -> new RandomSelection(keep, seed);
            case NONE, AVG_POOL, LEARNABLE_POOL, DOWNSAMPLE -> null;
        };
    }

    /**
     * The image processor to run the model with: {@code configured} (the model folder's), or for downsample the same
     * resize and normalisation at {@link #imageSize}.
     */
    public Florence2ImageProcessor imageProcessor(Florence2ImageProcessor configured) {
        return mode == CompressionMode.DOWNSAMPLE ? configured.withSize(imageSize) : configured;
    }

    /** Checks the stage against the encoder depth (the part of {@link #validateFor} that needs no image size). */
    public Compression validateFor(int encoderLayers) {
        if (mode.hasStage() && stage > encoderLayers) {
            throw new InvalidCompressionException("stage must be in 0.." + encoderLayers + " for a model with "
                    + encoderLayers + " encoder layers (" + encoderLayers
                    + " = on the encoder output, before cross-attention), got " + stage);
        }
        return this;
    }

    /**
     * Checks the stage against the encoder depth and the factor, kernel or budget against the grid. Downsample's image
     * size needs the vision config: {@link #validateFor(Florence2Config, Florence2ImageProcessor)}.
     *
     * @param encoderLayers layers of the language encoder (stage may be 0 .. encoderLayers)
     * @param gridTokens h*w image grid tokens entering the language model (a square grid for the grid methods)
     */
    public Compression validateFor(int encoderLayers, int gridTokens) {
        validateFor(encoderLayers);
        if (mode.pools1d() && factor > gridTokens) {
            throw new InvalidCompressionException("factor must be in 2.." + gridTokens + " (the image has " + gridTokens
                    + " grid tokens), got " + factor);
        }
        if (mode.isGridMethod()) {
            int side = GridCompressionHook.gridSide(gridTokens);
            gridMethod().keptTokens(side, side);
        }
        return this;
    }

    /**
     * Checks the setting against a model run with {@code configured}, its image processor: everything of {@link
     * #validateFor(int, int)} at that processor's grid, and for downsample that the grid at {@link #imageSize} has at
     * least one token and lies within the learned 2D position embedding.
     */
    public Compression validateFor(Florence2Config config, Florence2ImageProcessor configured) {
        if (mode == CompressionMode.DOWNSAMPLE) {
            int side = VisualTokens.gridSide(config.visionConfig(), imageSize);
            int reach = config.visionConfig().maxPosEmbeddings();
            if (side < 1 || side > reach) {
                throw new InvalidCompressionException("downsample image_size " + imageSize + " gives a " + side + " x "
                        + side + " grid; the model's position embedding covers 1.." + reach
                        + " rows and columns");
            }
            return this;
        }
        return validateFor(config.textConfig().encoderLayers(), VisualTokens.gridTokens(config, configured));
    }

    /** E.g. {@code none}, {@code avg_pool f=4 stage=2 sorted}, {@code random keep=36 stage=0 seed=3}. */
    @Override
    public String toString() {
        if (isNone()) {
            return "none";
        }
        StringBuilder out = new StringBuilder(mode.id());
        if (mode.takes(Parameter.FACTOR)) {
            out.append(" f=").append(factor);
        }
        if (mode.takes(Parameter.KEEP)) {
            out.append(" keep=").append(keep);
        }
        if (mode.takes(Parameter.DOMINANT)) {
            out.append(" dominant=").append(dominant);
        }
        if (mode.takes(Parameter.IMAGE_SIZE)) {
            out.append(" size=").append(imageSize);
        }
        if (mode.hasStage()) {
            out.append(" stage=").append(stage);
        }
        if (sorted) {
            out.append(" sorted");
        }
        if (mode == CompressionMode.RANDOM) {
            out.append(" seed=").append(seed);
        }
        return out.toString();
    }

    /** Runs the phase-1 method's own checks of the parameters (kernel, keep, dominant) and the stage. */
    private static Compression checked(Compression c) {
        GridCompressionHook.checkStage(c.gridMethod(), c.stage());
        return c;
    }

    private static void notNeutral(CompressionMode mode, Parameter p, boolean set, List<String> notTaken) {
        if (set && !mode.takes(p)) {
            notTaken.add(p.key());
        }
    }

    private static void given(CompressionMode mode, Parameter p, Object value, List<String> notTaken) {
        if (value != null && !mode.takes(p)) {
            notTaken.add(p.key());
        }
    }

    private static void required(CompressionMode mode, Parameter p, Object value, String expected) {
        if (value == null && mode.requires(p)) {
            throw new InvalidCompressionException(p.key() + " is required for " + mode.id() + " (" + expected + ")");
        }
    }

    /** E.g. "parameters that do not apply to compression avg_pool: keep, dominant (it takes factor, stage, sorted)". */
    private static String notApplying(CompressionMode mode, List<String> keys) {
        String takes = mode.parameters().isEmpty()
                ? "it takes none"
                : "it takes " + mode.parameters().stream().map(Parameter::key).collect(Collectors.joining(", "));
        return "parameters that do not apply to compression " + mode.id() + ": " + String.join(", ", keys) + " ("
                + takes + ")";
    }
}
