package ai.vtc.scheduler.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** A trial in a sweep's race: the rung it reached, where it stands, and its evidence at that rung. */
@Entity
@Table(name = "race_entrant", indexes = @Index(name = "race_entrant_by_sweep", columnList = "sweepId"))
public class RaceEntrantEntity extends PanacheEntityBase {
    /** Where an entrant stands. */
    public enum State {
        /** Its rung's evaluation is requested and awaited. */
        RACING,
        /** Evaluated on its rung; waits for the rest of the rung. */
        EVALUATED,
        /** Dominated with confidence at its rung; answers no further question. */
        STOPPED,
        /** Survived every earlier rung and answers the whole evaluation set: its result is the trial's result. */
        FINAL,
        /**
         * Active for another sweep when this race began: it answers the whole set there, and this race neither waits
         * for it nor judges it.
         */
        OUTSIDE
    }

    /** {@code <sweep id>/<trial id>}. */
    @Id
    public String id;

    @Column(nullable = false)
    public String sweepId;

    @Column(nullable = false)
    public String trialId;

    /** The rung it is on (RACING, EVALUATED) or was stopped at (STOPPED); the last rung for FINAL. */
    public int rung;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    /** Visual tokens of its setting: the cost the race compares. */
    public Integer visualTokens;

    /** Accuracy in percent on its last evaluated rung. */
    public Double accuracy;

    /** Questions of its last evaluated rung (the longest prefix it answered). */
    public Integer questions;

    /** Per-question scores of its last evaluated rung, as a JSON array in the order of the evaluation set. */
    @Column(columnDefinition = "text")
    public String scoresJson;

    public Instant updatedAt;

    public static String key(String sweepId, String trialId) {
        return sweepId + "/" + trialId;
    }

    public static RaceEntrantEntity of(String sweepId, String trialId, Integer visualTokens, State state) {
        RaceEntrantEntity entrant = new RaceEntrantEntity();
        entrant.id = key(sweepId, trialId);
        entrant.sweepId = sweepId;
        entrant.trialId = trialId;
        entrant.visualTokens = visualTokens;
        entrant.state = state;
        entrant.updatedAt = Instant.now();
        return entrant;
    }

    public static RaceEntrantEntity find(String sweepId, String trialId) {
        return findById(key(sweepId, trialId));
    }

    public static List<RaceEntrantEntity> ofSweep(String sweepId) {
        return list("sweepId = ?1 order by trialId", sweepId);
    }

    /** The entrants of the running races that {@code trialId} is in. */
    public static List<RaceEntrantEntity> racing(String trialId) {
        return list("trialId = ?1 and state = ?2", trialId, State.RACING);
    }
}
