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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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

    /**
     * Until when a relay is sending the row (null: nobody is). Another relay leaves it alone until then; after that
     * (the relay died before it deleted the row) the row is sent again.
     */
    @Column(name = "claimed_until")
    public Instant claimedUntil;

    /**
     * Claims up to {@code limit} oldest rows that no relay is sending, until {@code now + claim}, and returns them in
     * id order; plain JDBC, the rows are not managed (the relay only reads and deletes them). The claim is a column,
     * not a row lock, so it outlives this short transaction and nobody waits for the broker's acknowledgements.
     */
    public static List<OutboxEntity> claimOldest(int limit, Duration claim) {
        List<OutboxEntity> rows = new ArrayList<>();
        getSession().doWork((Connection connection) -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "update outbox set claimed_until = now() + ? * interval '1 millisecond' where id in ("
                            + "select id from outbox where claimed_until is null or claimed_until < now()"
                            + " order by id limit ? for update skip locked)"
                            + " returning id, topic, messageKey, payload, headers, trial_id, createdAt")) {
                ps.setLong(1, claim.toMillis());
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        OutboxEntity row = new OutboxEntity();
                        row.id = rs.getLong(1);
                        row.topic = rs.getString(2);
                        row.messageKey = rs.getString(3);
                        row.payload = rs.getString(4);
                        row.headers = rs.getString(5);
                        row.trialId = rs.getString(6);
                        row.createdAt = rs.getTimestamp(7).toInstant();
                        rows.add(row);
                    }
                }
            }
        });
        rows.sort(Comparator.comparingLong(r -> r.id));
        return rows;
    }

    public static void deleteIds(Collection<Long> ids) {
        getSession().doWork((Connection connection) -> {
            try (PreparedStatement ps = connection.prepareStatement("delete from outbox where id = any(?)")) {
                ps.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
                ps.executeUpdate();
            }
        });
    }

    /**
     * Deletes the unpublished requests on {@code topic} of these trials that no relay is sending; returns the trial
     * ids that had one. A request being sent may reach the topic, so its trial is not among them.
     */
    @SuppressWarnings("unchecked")
    public static List<String> withdraw(String topic, Collection<String> trialIds) {
        if (trialIds.isEmpty()) {
            return List.of();
        }
        return getEntityManager()
                .createNativeQuery(
                        "delete from outbox where topic = :topic and trial_id in (:ids) and claimed_until is null"
                                + " returning trial_id",
                        String.class)
                .setParameter("topic", topic)
                .setParameter("ids", trialIds)
                .getResultList();
    }
}
