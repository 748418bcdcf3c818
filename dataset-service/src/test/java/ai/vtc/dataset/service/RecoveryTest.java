package ai.vtc.dataset.service;

import static ai.vtc.dataset.Fixtures.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.Json;
import ai.vtc.dataset.persistence.DatasetEntity;
import ai.vtc.dataset.persistence.DatasetStatus;
import ai.vtc.dataset.persistence.JobEntity;
import ai.vtc.dataset.persistence.JobKind;
import ai.vtc.dataset.persistence.JobState;
import ai.vtc.stack.testing.StackTestResource;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Jobs that were running when the service stopped: at start a dataset whose manifest was written is published, any
 * other is deleted and its name freed. The stop is simulated by rows and objects as a killed job leaves them.
 */
@QuarkusTest
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "datasets"))
class RecoveryTest {
    @Inject
    DatasetIngest ingest;

    @Inject
    Jobs jobs;

    @Inject
    ObjectStore store;

    @Test
    void unfinishedJobsArePublishedOrDiscarded() {
        String halfway = leftBehind("killed-halfway");
        store.put(Keys.image("killed-halfway", "COCO_val2014_000000000001.png"), new byte[] {1}, "image/png");
        store.put(Keys.questions("killed-halfway", "val"), "{}".getBytes(StandardCharsets.UTF_8), "application/json");

        String published = leftBehind("killed-after-manifest");
        DatasetManifest manifest = new DatasetManifest(
                "killed-after-manifest",
                Map.of("val", new DatasetManifest.Split(1, 1, "COCO_val2014_", "png")),
                "test",
                Instant.now());
        store.put(
                Keys.datasetManifest("killed-after-manifest"),
                Json.write(manifest).getBytes(StandardCharsets.UTF_8),
                "application/json");

        ingest.recover(null);

        assertEquals(List.of(), store.list(Keys.dataset("killed-halfway")));
        assertNull(QuarkusTransaction.requiringNew().call(() -> DatasetEntity.findById("killed-halfway")));
        given().get("/datasets/jobs/" + halfway)
                .then()
                .statusCode(200)
                .body("state", equalTo("failed"))
                .body("message", equalTo("the service stopped while the job ran; what it had uploaded was deleted"));

        given().get("/datasets/killed-after-manifest")
                .then()
                .statusCode(200)
                .body("manifest.splits.val.image_prefix", equalTo("COCO_val2014_"));
        given().get("/datasets/jobs/" + published).then().statusCode(200).body("state", equalTo("succeeded"));
        assertEquals(
                "folder",
                QuarkusTransaction.requiringNew()
                        .call(() -> Panache.getEntityManager()
                                .createNativeQuery("select kind from ingest_job where id = ?1", String.class)
                                .setParameter(1, published)
                                .getSingleResult()),
                "the job kind is stored with the spelling the column always had");
    }

    /** The rows a job leaves when the service dies while it runs. */
    private String leftBehind(String dataset) {
        return QuarkusTransaction.requiringNew().call(() -> {
            JobEntity job = jobs.create(dataset, JobKind.FOLDER, "{}");
            job.state = JobState.RUNNING;
            DatasetEntity d = new DatasetEntity();
            d.name = dataset;
            d.status = DatasetStatus.INGESTING;
            d.jobId = job.id;
            d.createdAt = Instant.now();
            d.persist();
            return job.id;
        });
    }
}
