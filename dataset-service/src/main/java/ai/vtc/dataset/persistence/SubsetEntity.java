package ai.vtc.dataset.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;
import java.util.List;

/** A subset whose manifest is at {@code datasets/<dataset>/subsets/<name>.json}. */
@Entity
@Table(name = "subset", uniqueConstraints = @UniqueConstraint(columnNames = {"dataset", "name"}))
public class SubsetEntity extends PanacheEntity {
    @Column(nullable = false)
    public String dataset;

    @Column(nullable = false)
    public String name;

    public long seed;

    /** The requested share of each split, or null for a fixed count. */
    public Double fraction;

    /** The requested number of units per split, or null for a fraction. */
    public Long count;

    /** {@code question} or {@code image}: what the size counts. */
    @Column(nullable = false)
    public String selection;

    /** The manifest's sha256, which trials carry. */
    @Column(nullable = false)
    public String sha256;

    /** Questions per split, as JSON ({@code {"train":80,"val":20}}). */
    @Column(columnDefinition = "text", nullable = false)
    public String questionCounts;

    @Column(nullable = false)
    public Instant createdAt;

    public static List<SubsetEntity> of(String dataset) {
        return list("dataset = ?1 order by createdAt, name", dataset);
    }

    public static SubsetEntity find(String dataset, String name) {
        return find("dataset = ?1 and name = ?2", dataset, name).firstResult();
    }

    public static long deleteOf(String dataset) {
        return delete("dataset", dataset);
    }
}
