package ai.vtc.evaluator.rest;

import ai.vtc.contracts.CostAxis;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import ai.vtc.vqa.stats.ParetoFront;
import ai.vtc.vqa.stats.SeedSpread;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A sweep's evaluations as result rows: each completed trial with its setting's spread across seeds and whether it is
 * on the Pareto front of accuracy against each cost axis (among the completed trials whose cost on that axis is
 * known).
 */
final class SweepResults {
    private SweepResults() {}

    static List<ResultRow> of(List<EvaluationEntity> evaluations) {
        List<EvaluationEntity> completed =
                evaluations.stream().filter(EvaluationEntity::isCompleted).toList();
        Map<String, SeedSpread> spreads = SeedSpread.bySetting(completed, SweepResults::settingKey, e -> e.overall);
        Map<CostAxis, Set<String>> fronts = new LinkedHashMap<>();
        for (CostAxis axis : CostAxis.values()) {
            fronts.put(axis, front(completed, axis));
        }
        List<ResultRow> rows = new ArrayList<>();
        for (EvaluationEntity e : evaluations) {
            if (!e.isCompleted()) {
                rows.add(ResultRow.of(e, null, null));
                continue;
            }
            Map<String, Boolean> onFront = new LinkedHashMap<>();
            for (CostAxis axis : CostAxis.values()) {
                if (cost(e, axis) != null) {
                    onFront.put(axis.id(), fronts.get(axis).contains(e.trialId));
                }
            }
            rows.add(ResultRow.of(e, spreads.get(settingKey(e)).rounded(), onFront));
        }
        return rows;
    }

    /** The completed trials on the front of {@code axis}, by increasing cost. */
    static List<String> frontOrder(List<EvaluationEntity> evaluations, CostAxis axis) {
        return ParetoFront.of(points(
                        evaluations.stream()
                                .filter(EvaluationEntity::isCompleted)
                                .toList(),
                        axis))
                .stream()
                .map(ParetoFront.Point::id)
                .toList();
    }

    private static Set<String> front(List<EvaluationEntity> completed, CostAxis axis) {
        return ParetoFront.of(points(completed, axis)).stream()
                .map(ParetoFront.Point::id)
                .collect(Collectors.toSet());
    }

    private static List<ParetoFront.Point> points(List<EvaluationEntity> completed, CostAxis axis) {
        List<ParetoFront.Point> points = new ArrayList<>();
        for (EvaluationEntity e : completed) {
            Double cost = cost(e, axis);
            if (cost != null) {
                points.add(new ParetoFront.Point(e.trialId, cost, e.overall));
            }
        }
        return points;
    }

    private static Double cost(EvaluationEntity e, CostAxis axis) {
        return axis.of(e.visualTokens, e.trialCost());
    }

    /** What the trials of one setting share across seeds: training, train settings and compression. */
    private static String settingKey(EvaluationEntity e) {
        return e.training().id() + "|" + e.trainSettingsSha256 + "|"
                + e.compression().label();
    }
}
