package ai.vtc.dataset.service;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.Json;
import ai.vtc.dataset.persistence.DatasetEntity;
import ai.vtc.dataset.persistence.DatasetStatus;
import ai.vtc.dataset.persistence.JobEntity;
import ai.vtc.dataset.persistence.JobKind;
import ai.vtc.dataset.persistence.SubsetEntity;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Which datasets exist. A name is reserved (row {@link DatasetStatus#INGESTING}) when its ingest is accepted and
 * becomes visible only after its manifest, the last object, is written; a failed ingest deletes its objects and
 * frees the name. An existing dataset is never overwritten.
 */
@ApplicationScoped
public class DatasetCatalog {
    private static final Logger LOG = Logger.getLogger(DatasetCatalog.class);
    /** Names that are paths of the API ({@code /datasets/jobs}, ...), not datasets. */
    private static final Set<String> RESERVED = Set.of("jobs", "synthetic", "ingest");

    private final ObjectStore store;
    private final Jobs jobs;

    public DatasetCatalog(ObjectStore store, Jobs jobs) {
        this.store = store;
        this.jobs = jobs;
    }

    /**
     * Takes {@code name} for a new job of {@code kind}; a {@link DatasetConflict} when a dataset of that name exists
     * (here or in object storage) or is being ingested.
     */
    public JobEntity reserve(String name, JobKind kind, String source, String request) {
        Names.check("dataset", name);
        if (RESERVED.contains(name)) {
            throw new InvalidRequest("'" + name + "' names an endpoint under /datasets; choose another dataset name");
        }
        if (store.exists(Keys.datasetManifest(name))) {
            throw new DatasetConflict("dataset '" + name + "' exists (" + store.uri(Keys.datasetManifest(name))
                    + "); datasets are never overwritten, choose another name");
        }
        Supplier<JobEntity> reserve = () -> {
            DatasetEntity existing = DatasetEntity.findById(name);
            if (existing != null) {
                throw conflict(existing);
            }
            DatasetEntity dataset = new DatasetEntity();
            dataset.name = name;
            dataset.status = DatasetStatus.INGESTING;
            dataset.source = source;
            dataset.createdAt = Instant.now();
            JobEntity job = jobs.create(name, kind, request);
            dataset.jobId = job.id;
            dataset.persist();
            return job;
        };
        try {
            return QuarkusTransaction.requiringNew().call(reserve::get);
        } catch (DatasetConflict e) {
            throw e;
        } catch (RuntimeException e) {
            // two requests for one name at once: the primary key let one of them in
            DatasetEntity winner = QuarkusTransaction.requiringNew().call(() -> DatasetEntity.findById(name));
            if (winner != null) {
                throw conflict(winner);
            }
            throw e;
        }
    }

    private static DatasetConflict conflict(DatasetEntity existing) {
        return existing.status == DatasetStatus.READY
                ? new DatasetConflict(
                        "dataset '" + existing.name + "' exists; datasets are never overwritten, choose another name")
                : new DatasetConflict("dataset '" + existing.name + "' is being ingested (job " + existing.jobId + ")");
    }

    /** Writes the manifest (the last object) and makes the dataset visible. */
    public void publish(DatasetManifest manifest) {
        String key = Keys.datasetManifest(manifest.name());
        if (store.exists(key)) {
            throw new DatasetConflict("dataset '" + manifest.name() + "' appeared in object storage during the ingest ("
                    + store.uri(key) + "); it was not overwritten");
        }
        String json = Json.write(manifest);
        store.put(key, json.getBytes(StandardCharsets.UTF_8), "application/json");
        QuarkusTransaction.requiringNew().run(() -> {
            DatasetEntity dataset = DatasetEntity.findById(manifest.name());
            dataset.status = DatasetStatus.READY;
            dataset.manifestJson = json;
            dataset.readyAt = Instant.now();
        });
    }

    /**
     * Undoes a failed ingest of {@code name}: deletes its objects (the manifest first, should it have been written)
     * and its rows, which frees the name. {@code deleteObjects} is false when another writer's objects appeared under
     * the name: those are left alone.
     */
    public void discard(String name, boolean deleteObjects) {
        try {
            if (deleteObjects) {
                deleteObjects(name);
            }
        } finally {
            // a later ingest of the name deletes whatever objects could not be deleted now
            QuarkusTransaction.requiringNew().run(() -> {
                SubsetEntity.deleteOf(name);
                DatasetEntity.delete("name = ?1 and status = ?2", name, DatasetStatus.INGESTING);
            });
        }
    }

    /**
     * Deletes every object under {@code datasets/<name>/} and the vision features workers computed from its images;
     * only for a dataset that is not published.
     */
    public void deleteObjects(String name) {
        String manifest = Keys.datasetManifest(name);
        if (store.exists(manifest)) {
            store.delete(manifest);
        }
        List<String> keys = store.list(Keys.dataset(name));
        for (String key : keys) {
            store.delete(key);
        }
        if (!keys.isEmpty()) {
            LOG.infof("deleted %d objects under %s/", keys.size(), store.uri("datasets/" + name));
        }
        deleteVisionFeatures(name);
    }

    /** The vision features workers stored for the dataset's images, under every model ({@link Keys#visionFeatures}). */
    private void deleteVisionFeatures(String name) {
        List<String> features = store.list("features/").stream()
                .filter(key -> Keys.isVisionFeatureOf(key, name))
                .toList();
        for (String key : features) {
            store.delete(key);
        }
        if (!features.isEmpty()) {
            LOG.infof("deleted the vision features of %d images of dataset %s", features.size(), name);
        }
    }

    public List<DatasetEntity> ready() {
        return QuarkusTransaction.requiringNew().call(DatasetEntity::ready);
    }

    /** The published dataset {@code name}, or a 404. */
    public DatasetEntity get(String name) {
        DatasetEntity dataset = QuarkusTransaction.requiringNew().call(() -> DatasetEntity.ready(name));
        if (dataset == null) {
            throw new NotFoundException("no dataset '" + name + "'");
        }
        return dataset;
    }

    public DatasetManifest manifest(String name) {
        return Json.read(get(name).manifestJson, DatasetManifest.class);
    }
}
