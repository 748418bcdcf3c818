package ai.vtc.scheduler.rest;

import ai.vtc.contracts.CostAxis;
import ai.vtc.contracts.ReferenceComparison;
import ai.vtc.scheduler.persistence.TrialEntity;
import ai.vtc.vqa.stats.ParetoFront;
import ai.vtc.vqa.stats.SeedSpread;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A sweep's evaluated trials as result rows, best accuracy first: each with its setting's spread across seeds and its
 * place on the Pareto front of accuracy against every cost axis (among the evaluated trials whose cost on that axis is
 * known). A trial can belong to several sweeps and the evaluator compares it within the sweep it ran for; a comparison
 * whose reference is not a trial of this sweep is not shown here, and the note says why.
 */
final class SweepResults {
    private SweepResults() {}

    static List<SweepViews.ResultRow> of(List<TrialEntity> trials) {
        List<TrialEntity> evaluated = trials.stream()
                .filter(t -> t.accuracy != null)
                .sorted(Comparator.comparingDouble((TrialEntity t) -> t.accuracy)
                        .reversed()
                        .thenComparing(t -> t.id))
                .toList();
        Set<String> members = trials.stream().map(t -> t.id).collect(Collectors.toSet());
        Map<String, SeedSpread> spreads = SeedSpread.bySetting(evaluated, SweepResults::settingKey, t -> t.accuracy);
        Map<CostAxis, Set<String>> fronts = new EnumMap<>(CostAxis.class);
        for (CostAxis axis : CostAxis.values()) {
            fronts.put(axis, front(evaluated, axis));
        }
        List<SweepViews.ResultRow> rows = new ArrayList<>();
        for (TrialEntity t : evaluated) {
            Map<String, Boolean> onFront = new LinkedHashMap<>();
            for (CostAxis axis : CostAxis.values()) {
                if (axis.of(t.visualTokens, t.cost()) != null) {
                    onFront.put(axis.id(), fronts.get(axis).contains(t.id));
                }
            }
            ReferenceComparison comparison = t.comparison();
            String note = t.comparisonNote;
            if (comparison != null && !members.contains(comparison.referenceTrialId())) {
                note = "compared with trial " + comparison.referenceTrialId() + " of another sweep, which is not in "
                        + "this one";
                comparison = null;
            }
            rows.add(SweepViews.ResultRow.of(
                    t, comparison, note, spreads.get(settingKey(t)).rounded(), onFront));
        }
        return rows;
    }

    private static Set<String> front(List<TrialEntity> evaluated, CostAxis axis) {
        List<ParetoFront.Point> points = new ArrayList<>();
        for (TrialEntity t : evaluated) {
            Double cost = axis.of(t.visualTokens, t.cost());
            if (cost != null) {
                points.add(new ParetoFront.Point(t.id, cost, t.accuracy));
            }
        }
        return ParetoFront.of(points).stream().map(ParetoFront.Point::id).collect(Collectors.toSet());
    }

    /** What the trials of one setting share across seeds: training and compression (a sweep trains all alike). */
    private static String settingKey(TrialEntity t) {
        return t.training().id() + "|" + t.compression().label();
    }
}
