package ai.vtc.scheduler.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/**
 * One decision of a race with its evidence: at rung {@code rung}, {@code trialId} stopped because
 * {@code dominatedBy} costs no more and was better by {@code difference} points (paired interval {@code lower} to
 * {@code upper} at the race's confidence), or went on when no trial dominated it. The id is sweep, rung and trial, so
 * a decision is stored once however often its rung is decided.
 */
@Entity
@Table(name = "race_decision", indexes = @Index(name = "race_decision_by_sweep", columnList = "sweepId"))
public class RaceDecisionEntity extends PanacheEntityBase {
    public static final String STOPPED = "stopped";
    public static final String PROMOTED = "promoted";

    /** {@code <sweep id>/<rung>/<trial id>}. */
    @Id
    public String id;

    @Column(nullable = false)
    public String sweepId;

    public int rung;

    /** The rung's share of the evaluation set. */
    public double fraction;

    /** Questions the rung's evidence rests on. */
    public int questions;

    @Column(nullable = false)
    public String trialId;

    /** {@link #STOPPED} or {@link #PROMOTED}. */
    @Column(nullable = false)
    public String outcome;

    /** The trial's accuracy in percent on the rung. */
    public Double accuracy;

    /** Its visual tokens. */
    public Integer visualTokens;

    public String dominatedBy;
    public Double difference;
    public Double lower;
    public Double upper;
    public double confidence;

    @Column(nullable = false)
    public Instant decidedAt;

    public static String key(String sweepId, int rung, String trialId) {
        return sweepId + "/" + rung + "/" + trialId;
    }

    public static List<RaceDecisionEntity> ofSweep(String sweepId) {
        return list("sweepId = ?1 order by rung, outcome desc, trialId", sweepId);
    }
}
