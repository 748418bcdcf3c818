package ai.vtc.scheduler.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** A submitted sweep: its YAML as written, the resolved spec, its stored status and limits. */
@Entity
@Table(name = "sweep")
public class SweepEntity extends PanacheEntityBase {
    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    /** The YAML as submitted. */
    @Column(nullable = false, columnDefinition = "text")
    public String specYaml;

    /** The validated spec with defaults resolved ({@code SweepSpec} as JSON). */
    @Column(columnDefinition = "text")
    public String specJson;

    /** {@link SweepStatus#RUNNING}, {@code CANCELLED} or {@code FAILED}; {@code COMPLETED} is derived. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SweepStatus status;

    /** Why the sweep stopped, when it did. */
    @Column(columnDefinition = "text")
    public String statusReason;

    /** The subset manifest hash the trials carry. */
    public String manifestSha256;

    /** Stop the sweep once this many of its trials failed for good; null: never. */
    public Integer maxFailedTrials;

    /** Attempts a trial of this sweep gets before it goes to the dead-letter topic. */
    public int maxAttemptsPerTrial;

    @Column(nullable = false)
    public Instant createdAt;

    public Instant updatedAt;

    public static SweepEntity lock(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public static List<SweepEntity> recent(int limit) {
        return find("order by createdAt desc").page(0, limit).list();
    }

    /** The running sweeps that contain {@code trialId}. */
    public static List<SweepEntity> runningWith(String trialId) {
        return find(
                        "from SweepEntity s where s.status = ?1 and s.id in "
                                + "(select st.sweepId from SweepTrialEntity st where st.trialId = ?2) order by s.id",
                        SweepStatus.RUNNING,
                        trialId)
                .list();
    }
}
