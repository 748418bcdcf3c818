package ai.vtc.evaluator.service;

import ai.vtc.contracts.ReferenceComparison;
import ai.vtc.evaluator.persistence.ComparisonColumns;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import ai.vtc.evaluator.persistence.QuestionScores;
import ai.vtc.evaluator.persistence.QuestionScoresEntity;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps every trial's comparison with its reference right as the trials of a sweep are evaluated, in any order. A
 * trial's reference is the completed trial of the same sweep, training, train settings and seed without compression
 * (the smallest trial id if there were several). Whenever a trial is evaluated, or announced again, the comparisons of
 * all trials that share its reference are recomputed where the reference changed: a trial evaluated before its
 * reference gets its comparison when the reference arrives. Stored scores never change, so a comparison with the same
 * reference is kept as it is, and refreshing twice changes nothing.
 *
 * <p>Evaluations run in parallel and the evaluator may run as several replicas, so a refresh holds a PostgreSQL
 * advisory lock on the sweep until its transaction ends: the second of two trials evaluated at once always sees the
 * first.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class SweepComparisons {
    /** First key of the advisory lock, so that these locks never meet another use of advisory locks. */
    private static final int LOCK_SPACE = 0x76746331; // "vtc1"

    /**
     * Locks the trial's sweep and brings the comparisons of the trials that share its reference up to date.
     *
     * @return the trial (reloaded) followed by every other trial whose comparison changed; empty when the trial has no
     *     completed evaluation
     */
    public List<EvaluationEntity> refresh(String trialId) {
        EvaluationEntity evaluated = EvaluationEntity.findById(trialId);
        if (evaluated == null || !evaluated.isCompleted()) {
            return List.of();
        }
        lockSweep(evaluated.sweepId);
        Panache.getEntityManager().refresh(evaluated); // what the last holder of the lock wrote
        List<EvaluationEntity> alike = EvaluationEntity.completedAlike(evaluated);
        EvaluationEntity reference = alike.stream()
                .filter(EvaluationEntity::isUncompressed)
                .findFirst()
                .orElse(null);
        Map<String, QuestionScores> scores = new HashMap<>();
        List<EvaluationEntity> announce = new ArrayList<>();
        announce.add(evaluated);
        for (EvaluationEntity e : alike) {
            if (update(e, reference, scores) && e != evaluated) {
                announce.add(e);
            }
        }
        return announce;
    }

    /** Sets the comparison {@code e} should have; true when it changed. */
    private static boolean update(EvaluationEntity e, EvaluationEntity reference, Map<String, QuestionScores> scores) {
        ReferenceComparison before = e.referenceComparison();
        String noteBefore = e.comparisonNote;
        if (reference == null) {
            set(e, null, ReferenceComparison.NO_REFERENCE);
        } else if (reference == e) {
            set(e, null, ReferenceComparison.IS_REFERENCE);
        } else if (before == null || !before.referenceTrialId().equals(reference.trialId)) {
            QuestionScores mine = scores.computeIfAbsent(e.trialId, QuestionScoresEntity::scoresOf);
            QuestionScores theirs = scores.computeIfAbsent(reference.trialId, QuestionScoresEntity::scoresOf);
            if (mine == null || theirs == null) {
                set(
                        e,
                        null,
                        "the per-question scores of this trial or of its reference " + reference.trialId
                                + " were not kept (evaluated before they were)");
            } else {
                ReferenceComparison c = TrialStatistics.compare(reference.trialId, mine, theirs);
                set(
                        e,
                        c,
                        c == null
                                ? "no question answered by both this trial and its reference " + reference.trialId
                                : null);
            }
        }
        return !Objects.equals(before, e.referenceComparison()) || !Objects.equals(noteBefore, e.comparisonNote);
    }

    private static void set(EvaluationEntity e, ReferenceComparison comparison, String note) {
        e.comparison = ComparisonColumns.of(comparison);
        e.comparisonNote = note;
    }

    private static void lockSweep(String sweepId) {
        Panache.getEntityManager()
                .createNativeQuery("select 1 from (select pg_advisory_xact_lock(?1, hashtext(?2))) locked")
                .setParameter(1, LOCK_SPACE)
                .setParameter(2, sweepId)
                .getSingleResult();
    }
}
