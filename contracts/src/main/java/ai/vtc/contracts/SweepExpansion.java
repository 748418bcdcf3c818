package ai.vtc.contracts;

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
    public record Trial(String id, TrialSpec spec) {}

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
        Map<String, Trial> trials = new LinkedHashMap<>();
        for (long seed : spec.seeds()) {
            for (Compression compression : compressions(spec.grid())) {
                TrialSpec trial = new TrialSpec(spec.model(), dataset, compression, train, eval, seed);
                String id = TrialIds.of(trial);
                trials.putIfAbsent(id, new Trial(id, trial));
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
