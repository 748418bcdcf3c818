package ai.vtc.scheduler.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A trial belongs to a sweep. Trials are content-addressed, so one trial can belong to several sweeps (a resubmitted
 * or overlapping sweep reuses it).
 */
@Entity
@Table(name = "sweep_trial", indexes = @Index(name = "sweep_trial_by_trial", columnList = "trial_id"))
@IdClass(SweepTrialEntity.Key.class)
public class SweepTrialEntity extends PanacheEntityBase {
    @Id
    @Column(name = "sweep_id")
    public String sweepId;

    @Id
    @Column(name = "trial_id")
    public String trialId;

    /** Order of the trial in the sweep's expansion. */
    public int position;

    /** What the submission did with it. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SubmissionOutcome submission;

    public static SweepTrialEntity of(String sweepId, String trialId, int position, SubmissionOutcome submission) {
        SweepTrialEntity link = new SweepTrialEntity();
        link.sweepId = sweepId;
        link.trialId = trialId;
        link.position = position;
        link.submission = submission;
        return link;
    }

    /** Trials of the sweep in {@code status}. */
    public static long countWithStatus(String sweepId, TrialStatus status) {
        return getEntityManager()
                .createQuery(
                        "select count(t) from TrialEntity t, SweepTrialEntity st "
                                + "where st.trialId = t.id and st.sweepId = ?1 and t.status = ?2",
                        Long.class)
                .setParameter(1, sweepId)
                .setParameter(2, status)
                .getSingleResult();
    }

    /** Trials per status of each sweep (statuses without trials are absent). */
    public static Map<String, Map<TrialStatus, Long>> countsByStatus(Collection<String> sweepIds) {
        Map<String, Map<TrialStatus, Long>> counts = new HashMap<>();
        if (sweepIds.isEmpty()) {
            return counts;
        }
        List<Object[]> rows = getEntityManager()
                .createQuery(
                        "select st.sweepId, t.status, count(t) from TrialEntity t, SweepTrialEntity st "
                                + "where st.trialId = t.id and st.sweepId in ?1 group by st.sweepId, t.status",
                        Object[].class)
                .setParameter(1, sweepIds)
                .getResultList();
        for (Object[] row : rows) {
            counts.computeIfAbsent((String) row[0], k -> new EnumMap<>(TrialStatus.class))
                    .put((TrialStatus) row[1], (Long) row[2]);
        }
        return counts;
    }

    /** Those of {@code trialIds} that a running sweep other than {@code sweepId} also contains. */
    public static Set<String> sharedWithOtherRunningSweeps(String sweepId, List<String> trialIds) {
        Set<String> shared = new HashSet<>();
        for (int i = 0; i < trialIds.size(); i += 1000) {
            shared.addAll(getEntityManager()
                    .createQuery(
                            "select distinct st.trialId from SweepTrialEntity st, SweepEntity s "
                                    + "where s.id = st.sweepId and s.status = ?1 and st.sweepId <> ?2 "
                                    + "and st.trialId in ?3",
                            String.class)
                    .setParameter(1, SweepStatus.RUNNING)
                    .setParameter(2, sweepId)
                    .setParameter(3, trialIds.subList(i, Math.min(trialIds.size(), i + 1000)))
                    .getResultList());
        }
        return shared;
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        public String sweepId;
        public String trialId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(sweepId, k.sweepId) && Objects.equals(trialId, k.trialId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(sweepId, trialId);
        }
    }
}
