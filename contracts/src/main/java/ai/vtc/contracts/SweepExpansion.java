package ai.vtc.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A valid sweep as its trials: the cartesian product mode x factor x stage x sorted x seeds, with {@code none}
 * taken once per seed (factor, stage and sorted do not apply to it), duplicates removed, in a stable order (seed,
 * then mode, factor, stage, sorted as written).
 */
public final class SweepExpansion {
    private SweepExpansion() {}

    /** One trial of a sweep with its content-addressed id. */
    /**
     * @param canonicalJson the spec's canonical JSON, whose SHA-256 gives the id (valid JSON of {@link TrialSpec})
     */
    public record Trial(String id, TrialSpec spec, String canonicalJson) {}

    /** Trials the spec expands to, without building them (for the size check). */
    public static long count(SweepSpec spec) {
        SweepSpec.Grid grid = spec.grid();
        long pooling =
                grid.mode().stream().filter(m -> !Compression.NONE.equals(m)).count();
        long perSeed = (grid.mode().contains(Compression.NONE) ? 1 : 0)
                + pooling * size(grid.factor()) * size(grid.stage()) * size(grid.sorted());
        return perSeed * spec.seeds().size();
    }

    /** The trials of {@code spec}, whose dataset subset has manifest hash {@code manifestSha256}. */
    public static List<Trial> expand(SweepSpec spec, String manifestSha256) {
        DatasetRef dataset = spec.dataset().withManifest(manifestSha256);
        TrainSettings train = SpecDefaults.train(spec.train());
        EvalSettings eval = SpecDefaults.eval(spec.eval());
        // the trials differ only in compression and seed: convert the rest to a tree once (TrialIds.of(trial) would
        // convert the whole spec per trial; SweepSpecsTest checks both give the same ids)
        ObjectNode shared = Json.mapper().valueToTree(new TrialSpec(spec.model(), dataset, null, train, eval, 0));
        List<Compression> compressions = compressions(spec.grid());
        List<JsonNode> compressionTrees = compressions.stream()
                .map(c -> (JsonNode) Json.mapper().valueToTree(c))
                .toList();
        Map<String, Trial> trials = new LinkedHashMap<>();
        for (long seed : spec.seeds()) {
            for (int i = 0; i < compressions.size(); i++) {
                ObjectNode tree = JsonNodeFactory.instance.objectNode();
                tree.setAll(shared);
                tree.set("compression", compressionTrees.get(i));
                tree.put("seed", seed);
                String canonical = CanonicalJson.of(tree);
                String id = TrialIds.ofCanonical(canonical);
                if (!trials.containsKey(id)) {
                    TrialSpec trial = new TrialSpec(spec.model(), dataset, compressions.get(i), train, eval, seed);
                    trials.put(id, new Trial(id, trial, canonical));
                }
            }
        }
        return List.copyOf(trials.values());
    }

    private static List<Compression> compressions(SweepSpec.Grid grid) {
        List<Compression> out = new ArrayList<>();
        for (String mode : grid.mode()) {
            if (Compression.NONE.equals(mode)) {
                out.add(Compression.none());
                continue;
            }
            for (int factor : grid.factor()) {
                for (int stage : grid.stage()) {
                    for (boolean sorted : grid.sorted()) {
                        out.add(new Compression(mode, factor, stage, sorted));
                    }
                }
            }
        }
        return out;
    }

    private static long size(List<?> axis) {
        return axis == null ? 0 : axis.size();
    }
}
