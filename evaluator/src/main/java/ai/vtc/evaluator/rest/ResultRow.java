package ai.vtc.evaluator.rest;

import ai.vtc.contracts.AccuracyByType;
import ai.vtc.contracts.CostAxis;
import ai.vtc.contracts.ReferenceComparison;
import ai.vtc.contracts.TrialCost;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import ai.vtc.vqa.stats.SeedSpread;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One trial's result as the REST API shows it.
 *
 * @param training {@code none} (training-free) or {@code fine_tune}
 * @param metric what {@code overall} and its statistics measure: {@code vqa_accuracy} (official VQAv2 accuracy) or
 *     {@code anls} (DocVQA's ANLS x 100), chosen by the dataset's task
 * @param setting the compression with every parameter of its method ({@code attn_prune keep=36 stage=2})
 * @param accuracyLower lower bound of the accuracy's 95% bootstrap interval over questions
 * @param delta accuracy minus the reference trial's (same sweep, training and seed, no compression), paired over the
 *     questions both answered: {@code comparison.difference}; null without a reference ({@code comparisonNote} says
 *     why)
 * @param comparison the reference trial, the difference with its paired 95% interval, whether it excludes zero and
 *     the questions paired
 * @param seeds trials of this setting (training and compression) in the sweep, one per seed
 * @param seedMean mean accuracy of the setting across its seeds
 * @param seedSd sample standard deviation across the seeds; null for one seed
 * @param cost tokens, analytic GFLOPs and measured latencies; null when the worker reported none
 * @param onFront per cost axis ({@link CostAxis} id): whether the trial is on the Pareto front of accuracy against
 *     it; an axis whose cost the trial lacks is absent
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultRow(
        String trialId,
        String sweepId,
        String status,
        String reason,
        String training,
        String setting,
        String mode,
        Integer factor,
        Integer stage,
        Boolean sorted,
        Integer keep,
        Integer dominant,
        Integer imageSize,
        long seed,
        int visualTokens,
        String metric,
        Double overall,
        Double accuracyLower,
        Double accuracyUpper,
        Double delta,
        ReferenceComparison comparison,
        String comparisonNote,
        Integer seeds,
        Double seedMean,
        Double seedSd,
        Map<String, Double> perAnswerType,
        Integer questions,
        TrialCost cost,
        Map<String, Boolean> onFront,
        Instant evaluatedAt) {

    /**
     * The row of {@code e}; {@code spread} (rounded) and {@code onFront} are null for a failed evaluation.
     */
    static ResultRow of(EvaluationEntity e, SeedSpread spread, Map<String, Boolean> onFront) {
        ReferenceComparison c = e.referenceComparison();
        return new ResultRow(
                e.trialId,
                e.sweepId,
                e.status.label(),
                e.reason,
                e.training().id(),
                e.compression().label(),
                e.mode,
                e.factor,
                e.stage,
                e.sorted,
                e.keep,
                e.dominant,
                e.imageSize,
                e.seed,
                e.visualTokens,
                e.metricName(),
                e.overall,
                e.accuracyLower,
                e.accuracyUpper,
                c == null ? null : c.difference(),
                c,
                e.comparisonNote,
                spread == null ? null : spread.seeds(),
                spread == null ? null : spread.mean(),
                spread == null ? null : spread.sd(),
                perAnswerType(e),
                e.questions,
                e.trialCost(),
                onFront,
                e.evaluatedAt);
    }

    private static Map<String, Double> perAnswerType(EvaluationEntity e) {
        return e.perAnswerType == null ? null : AccuracyByType.read(e.perAnswerType);
    }

    /**
     * The columns of {@link #csv()}: the first thirteen as they always were, then the statistics and the cost, then the
     * metric.
     */
    static final String CSV_HEADER =
            "trial_id,sweep_id,status,mode,factor,stage,sorted,seed,visual_tokens,overall,delta,questions,reason,"
                    + "training,setting,keep,dominant,image_size,accuracy_lower,accuracy_upper,reference_trial_id,"
                    + "delta_lower,delta_upper,delta_significant,paired_questions,comparison_note,seeds,seed_mean,"
                    + "seed_sd,text_tokens,gflops_vision,gflops_encoder,gflops_cross_attention,"
                    + "gflops_decoder_per_token,gflops_prefill,prefill_ms,decode_step_ms,latency_batch_size,"
                    + "latency_batches,device,precision,on_front_tokens,on_front_gflops,on_front_latency,metric";

    String csv() {
        List<String> cells = new ArrayList<>(List.of(
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
                quote(reason),
                training,
                quote(setting),
                text(keep),
                text(dominant),
                text(imageSize),
                text(accuracyLower),
                text(accuracyUpper),
                comparison == null ? "" : comparison.referenceTrialId(),
                comparison == null ? "" : text(comparison.lower()),
                comparison == null ? "" : text(comparison.upper()),
                comparison == null ? "" : text(comparison.significant()),
                comparison == null ? "" : text(comparison.questions()),
                quote(comparisonNote),
                text(seeds),
                text(seedMean),
                text(seedSd)));
        TrialCost.Gflops g = cost == null ? null : cost.gflops();
        TrialCost.Latency l = cost == null ? null : cost.latency();
        cells.add(cost == null ? "" : text(cost.textTokens()));
        cells.add(g == null ? "" : text(g.vision()));
        cells.add(g == null ? "" : text(g.encoder()));
        cells.add(g == null ? "" : text(g.crossAttention()));
        cells.add(g == null ? "" : text(g.decoderPerToken()));
        cells.add(g == null ? "" : text(g.prefill()));
        cells.add(l == null ? "" : text(l.prefillMs()));
        cells.add(l == null ? "" : text(l.decodeStepMs()));
        cells.add(l == null ? "" : text(l.batchSize()));
        cells.add(l == null ? "" : text(l.batches()));
        cells.add(l == null ? "" : quote(l.device()));
        cells.add(l == null ? "" : text(l.precision()));
        for (CostAxis axis : CostAxis.values()) {
            cells.add(onFront == null ? "" : text(onFront.get(axis.id())));
        }
        cells.add(metric);
        return String.join(",", cells);
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String quote(String s) {
        return s == null ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
