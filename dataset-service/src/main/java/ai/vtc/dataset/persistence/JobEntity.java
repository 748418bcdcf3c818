package ai.vtc.dataset.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** An asynchronous ingest (from a folder, an S3 prefix or the synthetic generator) and its last stored progress. */
@Entity
@Table(name = "ingest_job")
public class JobEntity extends PanacheEntityBase {
    @Id
    public String id;

    @Column(nullable = false)
    public String dataset;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public JobKind kind;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public JobState state;

    /** What the job does now ({@code queued}, {@code scan}, {@code images}, ...). */
    public String phase;

    /** Units of the phase done and in all (images in the {@code images} phase). */
    public long done;

    public long total;

    /** The outcome: a summary on success, the error (naming the file and id) on failure. */
    @Column(columnDefinition = "text")
    public String message;

    /** The request as received (JSON), for the record. */
    @Column(columnDefinition = "text")
    public String request;

    @Column(nullable = false)
    public Instant createdAt;

    public Instant startedAt;

    public Instant finishedAt;

    public static List<JobEntity> recent(int limit) {
        return find("order by createdAt desc").page(0, limit).list();
    }

    public static List<JobEntity> unfinished() {
        return list("state in ?1", List.of(JobState.QUEUED, JobState.RUNNING));
    }
}
