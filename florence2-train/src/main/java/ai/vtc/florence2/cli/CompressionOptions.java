package ai.vtc.florence2.cli;

import ai.vtc.contracts.SpecDefaults;
import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.compress.Compression;
import ai.vtc.florence2.compress.CompressionMode;
import ai.vtc.florence2.compress.CompressionMode.Parameter;
import ai.vtc.florence2.compress.RecordedCompression;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * {@code --compression MODE} and the parameters of every method ({@code --factor --stage --sorted --keep --dominant
 * --image-size}); which apply to which mode is the model library's table ({@link CompressionMode}), so an option the
 * mode does not take, or a missing one, is refused naming the option; the stage defaults to the sweep's. Ranges are
 * checked by the library when the setting is made, and against the model by the trainer and the answerer.
 */
final class CompressionOptions {

    @Option(
            names = "--compression",
            description = "none, avg_pool, learnable_pool, pool2d, attn_prune, divprune, dominant_merge, random or"
                    + " downsample (default: the compression the model's config.json records, as a trial's"
                    + " checkpoint does; none for a model without one)")
    String mode;

    /** The mode given, {@code none} when {@code --compression} was not. */
    String modeId() {
        return mode == null ? CompressionMode.NONE.id() : mode;
    }

    /**
     * {@code given} (the setting of the command line) when {@code --compression} was given, otherwise the compression
     * {@code config} records ({@link RecordedCompression}: a trial's checkpoint says how it was trained), else {@code
     * given} (none).
     */
    Compression orRecorded(Compression given, Florence2Config config) {
        return mode != null ? given : RecordedCompression.of(config).orElse(given);
    }

    @Option(
            names = "--factor",
            description = "avg_pool, learnable_pool: the pooling window, >= 2; pool2d: the kernel side (required)")
    Integer factor;

    @Option(
            names = "--stage",
            description = "compress before encoder layer S, 0 .. encoder layers (the last value: on the encoder"
                    + " output); >= 1 for attn_prune and dominant_merge; not for none and downsample (default: "
                    + SpecDefaults.STAGE + ", the sweep's)")
    Integer stage;

    @Option(names = "--sorted", description = "avg_pool, learnable_pool: sort every channel of the grid first")
    boolean sorted;

    @Option(names = "--keep", description = "attn_prune, divprune, dominant_merge, random: grid tokens kept (required)")
    Integer keep;

    @Option(
            names = "--dominant",
            description = "dominant_merge: tokens kept as they are, 1 .. keep - 1 (default min(round(0.84 keep),"
                    + " keep - 1))")
    Integer dominant;

    @Option(
            names = "--image-size",
            description = "downsample: run the model on images of this side, a multiple of 32 (required)")
    Integer imageSize;

    /** The setting, with {@code seed} as random's seed (the other modes ignore it). */
    Compression resolve(long seed) {
        CompressionMode m = CompressionMode.parse(modeId());
        Map<Parameter, Object> given = new EnumMap<>(Parameter.class);
        put(given, Parameter.FACTOR, factor);
        put(given, Parameter.STAGE, stage);
        put(given, Parameter.SORTED, sorted ? Boolean.TRUE : null);
        put(given, Parameter.KEEP, keep);
        put(given, Parameter.DOMINANT, dominant);
        put(given, Parameter.IMAGE_SIZE, imageSize);
        List<String> notTaken = new ArrayList<>();
        given.keySet().stream().filter(p -> !m.takes(p)).forEach(p -> notTaken.add(option(p)));
        if (!notTaken.isEmpty()) {
            String takes = m.parameters().isEmpty()
                    ? "it takes none"
                    : "it takes "
                            + m.parameters().stream()
                                    .map(CompressionOptions::option)
                                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException(String.join(", ", notTaken)
                    + (notTaken.size() == 1 ? " does" : " do") + " not apply to --compression " + m.id() + " ("
                    + takes + ")");
        }
        for (Parameter p : m.parameters()) {
            if (m.requires(p) && !given.containsKey(p) && p != Parameter.STAGE) {
                throw new IllegalArgumentException(
                        p.key() + " is required for " + m.id() + ": give " + option(p) + " (" + p.meaning() + ")");
            }
        }
        Integer stageOrDefault = stage == null && m.hasStage() ? Integer.valueOf(SpecDefaults.STAGE) : stage;
        return Compression.of(
                modeId(), factor, stageOrDefault, sorted ? Boolean.TRUE : null, keep, dominant, imageSize, seed);
    }

    /** The command-line option of a parameter: {@code --image-size} for {@code image_size}. */
    static String option(Parameter p) {
        return "--" + p.key().replace('_', '-');
    }

    private static void put(Map<Parameter, Object> given, Parameter p, Object value) {
        if (value != null) {
            given.put(p, value);
        }
    }
}
