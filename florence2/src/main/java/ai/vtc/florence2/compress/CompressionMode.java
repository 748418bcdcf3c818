package ai.vtc.florence2.compress;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the grid tokens are shortened (docs/architecture.md, "Visual-token compression"). */
public enum CompressionMode {
    /** No compression: factor, stage and sorted do not apply. */
    NONE("none"),
    /** 1D average pooling along the token axis, kernel = stride = factor; the trailing n mod f tokens are dropped. */
    AVG_POOL("avg_pool"),
    /** One learnable weight per window position, shared by channels and windows; zero padding at the end. */
    LEARNABLE_POOL("learnable_pool");

    private final String id;

    CompressionMode(String id) {
        this.id = id;
    }

    /** The name used in sweeps, JSON and on the command line ({@code none}, {@code avg_pool}, {@code learnable_pool}). */
    public String id() {
        return id;
    }

    public boolean pools() {
        return this != NONE;
    }

    /** Parses {@code none}, {@code avg_pool} or {@code learnable_pool} (case-insensitive, '-' accepted for '_'). */
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
