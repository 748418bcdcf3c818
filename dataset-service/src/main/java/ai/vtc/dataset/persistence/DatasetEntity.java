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

/**
 * A dataset name, taken from the moment an ingest is accepted (the primary key makes two ingests of one name
 * impossible) and visible once {@link DatasetStatus#READY}. A failed ingest deletes its row.
 */
@Entity
@Table(name = "dataset")
public class DatasetEntity extends PanacheEntityBase {
    @Id
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DatasetStatus status;

    /** Where the data came from (a folder, an S3 prefix, synthetic options). */
    @Column(columnDefinition = "text")
    public String source;

    /** The job that fills (or filled) the dataset. */
    public String jobId;

    /** {@code datasets/<name>/manifest.json} as written, once ready. */
    @Column(columnDefinition = "text")
    public String manifestJson;

    @Column(nullable = false)
    public Instant createdAt;

    public Instant readyAt;

    public static List<DatasetEntity> ready() {
        return list("status = ?1 order by name", DatasetStatus.READY);
    }

    public static DatasetEntity ready(String name) {
        return find("name = ?1 and status = ?2", name, DatasetStatus.READY).firstResult();
    }
}
