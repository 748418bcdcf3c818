package ai.vtc.evaluator.rest;

import ai.vtc.contracts.AccuracyByType;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Map;

/**
 * One trial's result as the REST API shows it.
 *
 * @param delta accuracy minus the sweep's uncompressed trial of the same seed (null until that is evaluated)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultRow(
        String trialId,
        String sweepId,
        String status,
        String reason,
        String mode,
        Integer factor,
        Integer stage,
        Boolean sorted,
        long seed,
        int visualTokens,
        Double overall,
        Double delta,
        Map<String, Double> perAnswerType,
        Integer questions,
        Instant evaluatedAt) {
    static ResultRow of(EvaluationEntity e, Double baseline) {
        Double delta = baseline != null && e.overall != null ? round(e.overall - baseline) : null;
        return new ResultRow(
                e.trialId,
                e.sweepId,
                e.status.label(),
                e.reason,
                e.mode,
                e.factor,
                e.stage,
                e.sorted,
                e.seed,
                e.visualTokens,
                e.overall,
                delta,
                perAnswerType(e),
                e.questions,
                e.evaluatedAt);
    }

    private static Map<String, Double> perAnswerType(EvaluationEntity e) {
        return e.perAnswerType == null ? null : AccuracyByType.read(e.perAnswerType);
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    static final String CSV_HEADER =
            "trial_id,sweep_id,status,mode,factor,stage,sorted,seed,visual_tokens,overall,delta,questions,reason";

    String csv() {
        return String.join(
                ",",
                trialId,
                sweepId,
                status,
                mode,
                text(factor),
                text(stage),
                text(sorted),
                Long.toString(seed),
                Integer.toString(visualTokens),
                text(overall),
                text(delta),
                text(questions),
                quote(reason));
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String quote(String s) {
        return s == null ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
