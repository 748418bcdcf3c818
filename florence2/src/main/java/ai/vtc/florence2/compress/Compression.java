package ai.vtc.florence2.compress;

/**
 * One visual-token compression setting (docs/architecture.md, "Visual-token compression"): before language-encoder
 * layer {@code stage} (0 .. number of encoder layers; the last value acts on the encoder output, before the decoder's
 * cross-attention) the h*w grid tokens are pooled along the token axis by {@code factor}, optionally after sorting
 * every channel. The global image token and the text tokens are kept. For {@link CompressionMode#NONE} the canonical
 * values are factor 1, stage 0, unsorted.
 *
 * <p>The constructor checks what does not depend on a model; {@link #validateFor} checks the stage and factor against
 * a model's encoder depth and grid size. Both throw {@link InvalidCompressionException} naming the setting and its
 * allowed range.
 */
public record Compression(CompressionMode mode, int factor, int stage, boolean sorted) {

    private static final Compression NONE = new Compression(CompressionMode.NONE, 1, 0, false);

    public Compression {
        if (mode == null) {
            throw new InvalidCompressionException("compression mode must be one of " + CompressionMode.allowed());
        }
        if (mode == CompressionMode.NONE) {
            if (factor != 1 || stage != 0 || sorted) {
                throw new InvalidCompressionException(
                        "factor, stage and sorted do not apply to compression none (use Compression.none())");
            }
        } else {
            if (factor < 2) {
                throw new InvalidCompressionException(
                        "factor must be >= 2 for " + mode.id() + " (the pooling window), got " + factor);
            }
            if (stage < 0) {
                throw new InvalidCompressionException(
                        "stage must be >= 0 (0 .. number of encoder layers), got " + stage);
            }
        }
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

    /**
     * From loosely typed settings (a sweep, the command line): {@code mode} none / avg_pool / learnable_pool; factor and
     * stage are required for pooling and must be absent for none; sorted defaults to false.
     */
    public static Compression of(String mode, Integer factor, Integer stage, Boolean sorted) {
        CompressionMode m = CompressionMode.parse(mode);
        if (m == CompressionMode.NONE) {
            if (factor != null || stage != null || Boolean.TRUE.equals(sorted)) {
                throw new InvalidCompressionException("factor, stage and sorted do not apply to compression none");
            }
            return NONE;
        }
        if (factor == null) {
            throw new InvalidCompressionException("factor is required for " + m.id() + " (an integer >= 2)");
        }
        if (stage == null) {
            throw new InvalidCompressionException(
                    "stage is required for " + m.id() + " (0 .. number of encoder layers)");
        }
        return new Compression(m, factor, stage, Boolean.TRUE.equals(sorted));
    }

    public boolean isNone() {
        return mode == CompressionMode.NONE;
    }

    /** The same pooling at another stage and factor (a phase of a staged schedule); none stays none. */
    public Compression at(int newStage, int newFactor) {
        return isNone() ? this : new Compression(mode, newFactor, newStage, sorted);
    }

    /**
     * Checks the stage against the encoder depth and the factor against the grid size.
     *
     * @param encoderLayers layers of the language encoder (stage may be 0 .. encoderLayers)
     * @param gridTokens h*w image grid tokens entering the language model
     */
    public Compression validateFor(int encoderLayers, int gridTokens) {
        if (isNone()) {
            return this;
        }
        if (stage > encoderLayers) {
            throw new InvalidCompressionException("stage must be in 0.." + encoderLayers + " for a model with "
                    + encoderLayers + " encoder layers (" + encoderLayers
                    + " = on the encoder output, before cross-attention), got " + stage);
        }
        if (factor > gridTokens) {
            throw new InvalidCompressionException("factor must be in 2.." + gridTokens + " (the image has " + gridTokens
                    + " grid tokens), got " + factor);
        }
        return this;
    }

    /** E.g. {@code none}, {@code avg_pool f=4 stage=2 sorted}. */
    @Override
    public String toString() {
        return isNone() ? "none" : mode.id() + " f=" + factor + " stage=" + stage + (sorted ? " sorted" : "");
    }
}
