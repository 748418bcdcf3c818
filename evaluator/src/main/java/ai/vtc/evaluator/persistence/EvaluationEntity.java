package ai.vtc.evaluator.persistence;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.DatasetTask;
import ai.vtc.contracts.ReferenceComparison;
import ai.vtc.contracts.Training;
import ai.vtc.contracts.TrialCost;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/**
 * One trial's evaluation: the official VQAv2 accuracy with its interval and its comparison with the reference trial,
 * or why it could not be computed; the trial's setting (training, compression, seed) and cost. One row per trial (the
 * trial id is the key), so a duplicate {@code PredictionsReady} never adds a second result.
 */
@Entity
@Table(name = "evaluation")
public class EvaluationEntity extends PanacheEntityBase {
    @Id
    public String trialId;

    @Column(nullable = false)
    public String sweepId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public EvaluationStatus status;

    /** Why a failed evaluation failed. */
    @Column(columnDefinition = "text")
    public String reason;

    /**
     * The metric of {@link #overall}, its interval, per-type values, per-question scores and comparison:
     * {@code vqa_accuracy} or {@code anls} (100 x ANLS); null in rows stored before other metrics existed, which are VQA
     * accuracy ({@link #metricName()}).
     */
    public String metric;

    public Double overall;

    /** JSON object: answer type to accuracy. */
    @Column(columnDefinition = "text")
    public String perAnswerType;

    /** JSON object: question type to accuracy. */
    @Column(columnDefinition = "text")
    public String perQuestionType;

    public Integer questions;

    /** Bounds of the accuracy's 95% bootstrap interval over the questions, in percent (null in older rows). */
    public Double accuracyLower;

    public Double accuracyUpper;

    /** The paired difference to the reference trial; null without one ({@link #comparisonNote} says why). */
    @Embedded
    public ComparisonColumns comparison;

    @Column(columnDefinition = "text")
    public String comparisonNote;

    /** {@link Training} id; null in rows stored before training-free trials existed, which fine-tuned. */
    public String training;

    /** Identity of the train settings ({@code PredictionsReady.trainSettingsSha256}); null when training-free. */
    public String trainSettingsSha256;

    @Column(nullable = false)
    public String mode;

    public Integer factor;
    public Integer stage;
    public Boolean sorted;
    public Integer keep;
    public Integer dominant;
    public Integer imageSize;
    public long seed;
    public int visualTokens;

    /** What the setting costs; null when the worker reported no cost. */
    @Embedded
    public CostColumns cost;

    @Column(nullable = false)
    public String predictionsUri;

    @Column(nullable = false)
    public String dataset;

    /** The subset whose questions were evaluated: the sweep's {@code eval_subset}, else its training subset. */
    @Column(nullable = false)
    public String subset;

    @Column(nullable = false)
    public String split;

    public long durationMillis;

    @Column(nullable = false)
    public Instant evaluatedAt;

    public static List<EvaluationEntity> ofSweep(String sweepId) {
        return list("sweepId", io.quarkus.panache.common.Sort.by("trialId"), sweepId);
    }

    public static List<EvaluationEntity> completed() {
        return list("status", EvaluationStatus.COMPLETED);
    }

    /**
     * The completed evaluations of a sweep that share a reference: same training, train settings and seed (a missing
     * training is fine-tuning, as in {@link #training()}).
     */
    public static List<EvaluationEntity> completedAlike(EvaluationEntity e) {
        return list(
                "sweepId = ?1 and status = ?2 and coalesce(training, ?3) = ?4 "
                        + "and coalesce(trainSettingsSha256, '') = ?5 and seed = ?6 order by trialId",
                e.sweepId,
                EvaluationStatus.COMPLETED,
                Training.FINE_TUNE.id(),
                e.training().id(),
                e.trainSettingsSha256 == null ? "" : e.trainSettingsSha256,
                e.seed);
    }

    /** {@link #metric}, {@code vqa_accuracy} in older rows. */
    public String metricName() {
        return metric == null ? DatasetTask.VQA.metric() : metric;
    }

    public boolean isCompleted() {
        return status == EvaluationStatus.COMPLETED;
    }

    public Training training() {
        return training == null ? Training.FINE_TUNE : Training.fromId(training);
    }

    /** The trial's compression setting. */
    public Compression compression() {
        return new Compression(mode, factor, stage, sorted, keep, dominant, imageSize);
    }

    /** True for a trial without compression: a reference for the trials trained alike. */
    public boolean isUncompressed() {
        return Compression.NONE.equals(mode);
    }

    /** The trial's cost, or null when none was reported. */
    public TrialCost trialCost() {
        return cost == null ? null : cost.toCost(visualTokens);
    }

    /** The comparison with the reference, or null. */
    public ReferenceComparison referenceComparison() {
        return comparison == null ? null : comparison.toComparison();
    }
}
