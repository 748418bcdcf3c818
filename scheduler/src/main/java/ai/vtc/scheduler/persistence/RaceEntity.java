package ai.vtc.scheduler.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The Pareto race of a sweep: the rung it is on. Locked by every decision, so that two evaluations that complete a
 * rung at the same time decide it once.
 */
@Entity
@Table(name = "race")
public class RaceEntity extends PanacheEntityBase {
    @Id
    public String sweepId;

    /** The rung (0-based index into the sweep's fractions) whose evaluations are awaited or being decided. */
    public int rung;

    /** The rungs' shares of the evaluation set, as the sweep gave them (comma-separated). */
    @Column(nullable = false)
    public String fractions;

    /** The level of the paired intervals a stop needs. */
    public double confidence;

    @Column(nullable = false)
    public Instant createdAt;

    public Instant updatedAt;

    public static RaceEntity lock(String sweepId) {
        return findById(sweepId, LockModeType.PESSIMISTIC_WRITE);
    }
}
