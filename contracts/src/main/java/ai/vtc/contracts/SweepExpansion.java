package ai.vtc.contracts;

import ai.vtc.contracts.CompressionMethod.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A valid sweep as its trials. Each grid block crosses every one of its modes with the axes that mode takes
 * ({@link SweepSpec.Grid}): the axes are factor, keep, dominant, image_size, stage, sorted in that order, an absent
 * optional axis is its default, and {@code none} is taken once. Blocks are united, every compression is resolved
 * ({@link Compression#resolved}) and crossed with the seeds, duplicates are removed (the same trial spelt twice has one
 * id), and the order is stable: seed, then block, mode and axes as written.
 */
public final class SweepExpansion {
    /** Above this many combinations {@link #count} reports the bound instead of removing duplicates. */
    private static final long EXACT_COUNT_LIMIT = 1_000_000;

    private static final List<Parameter> AXES = List.of(
            Parameter.FACTOR,
            Parameter.KEEP,
            Parameter.DOMINANT,
            Parameter.IMAGE_SIZE,
            Parameter.STAGE,
            Parameter.SORTED);

    private SweepExpansion() {}

    /**
     * One trial of a sweep with its content-addressed id.
     *
     * @param canonicalJson the spec's canonical JSON, whose SHA-256 gives the id (valid JSON of {@link TrialSpec})
     */
    public record Trial(String id, TrialSpec spec, String canonicalJson) {}

    /**
     * Trials the spec expands to: exact (duplicates removed) for any sweep the scheduler accepts, an upper bound for
     * absurdly large grids, which the size check rejects without building them.
     */
    public static long count(SweepSpec spec) {
        long bound = 0;
        for (SweepSpec.Grid block : spec.grid()) {
            int trainings = block.training() == null ? 1 : block.training().size();
            for (String mode : block.mode()) {
                bound = saturatedAdd(
                        bound, saturatedMultiply(trainings, combinations(block, CompressionMethod.byId(mode))));
            }
        }
        long perSeed = bound <= EXACT_COUNT_LIMIT ? settings(spec.grid()).size() : bound;
        return saturatedMultiply(perSeed, spec.seeds().size());
    }

    /** The trials of {@code spec}, whose dataset subset has manifest hash {@code manifestSha256}. */
    public static List<Trial> expand(SweepSpec spec, String manifestSha256) {
        return expand(spec, manifestSha256, null);
    }

    /**
     * The trials of {@code spec}, whose dataset subset has manifest hash {@code manifestSha256} and whose evaluation
     * subset (when the spec names one) {@code evalManifestSha256}.
     */
    public static List<Trial> expand(SweepSpec spec, String manifestSha256, String evalManifestSha256) {
        return expand(spec, manifestSha256, evalManifestSha256, null);
    }

    /**
     * The trials of {@code spec} as {@link #expand(SweepSpec, String, String)}, for a model whose manifest has hash
     * {@code modelManifestSha256} (null: a model stored without a manifest, whose trial ids do not name its content).
     */
    public static List<Trial> expand(
            SweepSpec spec, String manifestSha256, String evalManifestSha256, String modelManifestSha256) {
        DatasetRef dataset = spec.dataset().withManifest(manifestSha256);
        if (dataset.evalSubset() != null) {
            dataset = dataset.withEvalManifest(evalManifestSha256);
        }
        TrainSettings train = spec.train() == null ? null : SpecDefaults.train(spec.train());
        EvalSettings eval = SpecDefaults.eval(spec.eval());
        // the trials differ only in training, compression and seed: convert the rest to a tree once (TrialIds.of(trial)
        // would convert the whole spec per trial; SweepSpecsTest checks both give the same ids)
        ObjectNode shared = Json.mapper()
                .valueToTree(new TrialSpec(spec.model(), modelManifestSha256, dataset, null, null, eval, 0));
        JsonNode trainTree = train == null ? null : Json.mapper().valueToTree(train);
        List<Setting> settings = settings(spec.grid());
        Map<String, Trial> trials = new LinkedHashMap<>();
        for (long seed : spec.seeds()) {
            for (Setting setting : settings) {
                boolean fineTune = setting.training() == Training.FINE_TUNE;
                ObjectNode tree = JsonNodeFactory.instance.objectNode();
                tree.setAll(shared);
                tree.set("compression", setting.tree());
                if (fineTune) {
                    tree.set("train", trainTree);
                }
                tree.put("seed", seed);
                String canonical = CanonicalJson.of(tree);
                String id = TrialIds.ofCanonical(canonical);
                if (!trials.containsKey(id)) {
                    TrialSpec trial = new TrialSpec(
                            spec.model(),
                            modelManifestSha256,
                            dataset,
                            setting.compression(),
                            fineTune ? train : null,
                            eval,
                            seed);
                    trials.put(id, new Trial(id, trial, canonical));
                }
            }
        }
        return List.copyOf(trials.values());
    }

    /** One training x compression combination of a block, with the compression's JSON tree. */
    private record Setting(Training training, Compression compression, JsonNode tree) {}

    private static List<Setting> settings(List<SweepSpec.Grid> blocks) {
        Set<Setting> out = new LinkedHashSet<>();
        for (SweepSpec.Grid block : blocks) {
            List<Compression> compressions = compressions(List.of(block));
            for (String t : block.training() == null ? List.of(Training.FINE_TUNE.id()) : block.training()) {
                for (Compression c : compressions) {
                    out.add(new Setting(Training.byId(t), c, Json.mapper().valueToTree(c)));
                }
            }
        }
        return List.copyOf(out);
    }

    /** The distinct resolved compressions of the blocks, in expansion order. */
    static List<Compression> compressions(List<SweepSpec.Grid> blocks) {
        Set<Compression> out = new LinkedHashSet<>();
        for (SweepSpec.Grid block : blocks) {
            for (String mode : block.mode()) {
                CompressionMethod method = CompressionMethod.byId(mode);
                if (method == CompressionMethod.NONE) {
                    out.add(Compression.none());
                    continue;
                }
                List<Parameter> taken = AXES.stream().filter(method::takes).toList();
                cross(
                        block,
                        taken,
                        0,
                        new Object[AXES.size()],
                        values -> out.add(new Compression(
                                        mode,
                                        (Integer) values[0],
                                        (Integer) values[4],
                                        (Boolean) values[5],
                                        (Integer) values[1],
                                        (Integer) values[2],
                                        (Integer) values[3])
                                .resolved()));
            }
        }
        return List.copyOf(out);
    }

    private interface Combination {
        void accept(Object[] values);
    }

    /** Calls {@code sink} with every combination of the {@code taken} axes' values (null for an absent axis). */
    private static void cross(
            SweepSpec.Grid block, List<Parameter> taken, int depth, Object[] values, Combination sink) {
        if (depth == taken.size()) {
            sink.accept(values);
            return;
        }
        Parameter p = taken.get(depth);
        int slot = AXES.indexOf(p);
        for (Object value : axisOrDefault(axis(block, p))) {
            values[slot] = value;
            cross(block, taken, depth + 1, values, sink);
        }
        values[slot] = null;
    }

    private static long combinations(SweepSpec.Grid block, CompressionMethod method) {
        if (method == null || method == CompressionMethod.NONE) {
            return 1;
        }
        long n = 1;
        for (Parameter p : AXES) {
            if (method.takes(p)) {
                List<?> axis = axis(block, p);
                n = saturatedMultiply(n, axis == null || axis.isEmpty() ? 1 : axis.size());
            }
        }
        return n;
    }

    /** The block's list for {@code p}, or null when the block does not give that axis. */
    static List<?> axis(SweepSpec.Grid block, Parameter p) {
        return switch (p) {
            case FACTOR -> block.factor();
            case STAGE -> block.stage();
            case SORTED -> block.sorted();
            case KEEP -> block.keep();
            case DOMINANT -> block.dominant();
            case IMAGE_SIZE -> block.imageSize();
        };
    }

    private static List<?> axisOrDefault(List<?> axis) {
        return axis == null || axis.isEmpty() ? Collections.singletonList(null) : axis;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatedMultiply(long a, long b) {
        return Math.multiplyHigh(a, b) != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
    }
}
