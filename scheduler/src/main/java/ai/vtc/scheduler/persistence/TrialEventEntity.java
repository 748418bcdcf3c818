package ai.vtc.scheduler.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/**
 * An event received about a trial (from {@code trial-events} or {@code evaluations}), with what it did. A redelivered
 * event has the same {@link #dedupeKey} and is not stored twice.
 */
@Entity
@Table(
        name = "trial_event",
        indexes = {
            @Index(name = "trial_event_by_trial", columnList = "trial_id"),
            @Index(name = "trial_event_dedupe", columnList = "dedupe_key", unique = true)
        })
public class TrialEventEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "trial_event_seq")
    @SequenceGenerator(name = "trial_event_seq", sequenceName = "trial_event_seq", allocationSize = 50)
    public Long id;

    @Column(name = "trial_id", nullable = false)
    public String trialId;

    public int attempt;

    /** The event's type name, {@code evaluation_completed} and {@code evaluation_failed} for evaluations. */
    @Column(nullable = false)
    public String type;

    /** When it happened, by the sender's clock. */
    public Instant at;

    public Instant receivedAt;

    /** What it did: {@code applied}, {@code ignored} or {@code stale} (the others are not stored). */
    @Enumerated(EnumType.STRING)
    public EventOutcome outcome;

    /** SHA-256 of the event's canonical JSON. */
    @Column(name = "dedupe_key", nullable = false, length = 64)
    public String dedupeKey;

    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    public static boolean seen(String dedupeKey) {
        return count("dedupeKey", dedupeKey) > 0;
    }

    public static List<TrialEventEntity> ofTrial(String trialId) {
        return list("trialId = ?1 order by id", trialId);
    }
}
