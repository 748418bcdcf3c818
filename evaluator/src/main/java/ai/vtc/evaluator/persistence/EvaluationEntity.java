package ai.vtc.evaluator.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/**
 * One trial's evaluation: the official VQAv2 accuracy, or why it could not be computed. One row per trial (the
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

    public Double overall;

    /** JSON object: answer type to accuracy. */
    @Column(columnDefinition = "text")
    public String perAnswerType;

    /** JSON object: question type to accuracy. */
    @Column(columnDefinition = "text")
    public String perQuestionType;

    public Integer questions;

    @Column(nullable = false)
    public String mode;

    public Integer factor;
    public Integer stage;
    public Boolean sorted;
    public long seed;
    public int visualTokens;

    @Column(nullable = false)
    public String predictionsUri;

    @Column(nullable = false)
    public String dataset;

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

    public boolean isCompleted() {
        return status == EvaluationStatus.COMPLETED;
    }
}
