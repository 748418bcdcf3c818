package ai.vtc.scheduler.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * A Kafka record to publish, written in the same transaction as the state change it announces; the relay deletes it
 * once the broker acknowledged it. A row present means "not yet known to be on the topic".
 */
@Entity
@Table(name = "outbox", indexes = @Index(name = "outbox_by_trial", columnList = "trial_id"))
public class OutboxEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "outbox_seq")
    @SequenceGenerator(name = "outbox_seq", sequenceName = "outbox_seq", allocationSize = 500)
    public Long id;

    @Column(nullable = false)
    public String topic;

    /** The record key: the trial id. */
    @Column(nullable = false)
    public String messageKey;

    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    /** Record headers as a JSON object of strings, or null. */
    @Column(columnDefinition = "text")
    public String headers;

    /** The trial the record is about (for withdrawing unpublished requests on cancel). */
    @Column(name = "trial_id")
    public String trialId;

    @Column(nullable = false)
    public Instant createdAt;

    /** Up to {@code limit} oldest rows, locked, skipping rows another relay holds. */
    @SuppressWarnings("unchecked")
    public static List<OutboxEntity> lockOldest(int limit) {
        return getEntityManager()
                .createNativeQuery(
                        "select * from outbox order by id limit :limit for update skip locked", OutboxEntity.class)
                .setParameter("limit", limit)
                .getResultList();
    }

    public static long deleteIds(Collection<Long> ids) {
        return delete("id in ?1", ids);
    }

    /** Deletes the unpublished requests on {@code topic} of these trials; returns the trial ids that had one. */
    @SuppressWarnings("unchecked")
    public static List<String> withdraw(String topic, Collection<String> trialIds) {
        if (trialIds.isEmpty()) {
            return List.of();
        }
        return getEntityManager()
                .createNativeQuery(
                        "delete from outbox where topic = :topic and trial_id in (:ids) returning trial_id",
                        String.class)
                .setParameter("topic", topic)
                .setParameter("ids", trialIds)
                .getResultList();
    }
}
