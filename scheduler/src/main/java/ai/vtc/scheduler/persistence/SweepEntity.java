package ai.vtc.scheduler.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A submitted sweep: its YAML as written, its status and when it was accepted. */
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

    /** {@code running}, {@code completed}, {@code failed}, {@code cancelled}. */
    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public Instant createdAt;
}
