package ai.vtc.evaluator.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A completed trial's per-question accuracies ({@link QuestionScores}), one row per trial, apart from
 * {@link EvaluationEntity} so that listing results never reads them.
 */
@Entity
@Table(name = "question_scores")
public class QuestionScoresEntity extends PanacheEntityBase {
    @Id
    public String trialId;

    @Column(nullable = false)
    public int questions;

    @Column(nullable = false, columnDefinition = "bytea")
    public byte[] encoded;

    public static QuestionScoresEntity of(String trialId, QuestionScores scores) {
        QuestionScoresEntity row = new QuestionScoresEntity();
        row.trialId = trialId;
        row.questions = scores.size();
        row.encoded = scores.encode();
        return row;
    }

    /** The scores of a trial, or null when none are stored (it failed, or was evaluated before they were kept). */
    public static QuestionScores scoresOf(String trialId) {
        QuestionScoresEntity row = findById(trialId);
        return row == null ? null : QuestionScores.decode(row.encoded);
    }
}
