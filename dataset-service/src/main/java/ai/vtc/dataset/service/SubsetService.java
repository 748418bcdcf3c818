package ai.vtc.dataset.service;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.SubsetManifest;
import ai.vtc.dataset.metrics.IngestMetrics;
import ai.vtc.dataset.persistence.SubsetEntity;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.subset.Subsets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes subset manifests ({@code datasets/<d>/subsets/<name>.json}, the contracts {@link SubsetManifest}, sealed
 * with its sha256, stored as {@link SubsetManifest#toJson()}) and reads them back. A subset name is never reused for other content: asking again for the same
 * subset answers the existing one, asking for different content under its name is a conflict.
 */
@ApplicationScoped
public class SubsetService {
    private final ObjectStore store;
    private final DatasetCatalog catalog;
    private final SplitQuestions questions;
    private final IngestMetrics metrics;
    /** Manifests read back (a subset never changes), for paging through one. */
    private final Map<String, SubsetManifest> read = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SubsetManifest> eldest) {
            return size() > 16;
        }
    };

    public SubsetService(ObjectStore store, DatasetCatalog catalog, SplitQuestions questions, IngestMetrics metrics) {
        this.store = store;
        this.catalog = catalog;
        this.questions = questions;
        this.metrics = metrics;
    }

    /** The outcome of a request: the subset and whether it was made now (false: it existed with this content). */
    public record Created(SubsetEntity subset, boolean created) {}

    /** The manifest of {@code spec} over {@code splits}, made by the vqa library as {@code vqa subset} makes it. */
    public static SubsetManifest build(String dataset, Map<String, VqaQuestions> splits, SubsetSpec spec) {
        return Subsets.manifest(dataset, spec.name(), spec.seed(), spec.selection(), spec.size(), splits);
    }

    /** Writes {@code manifest} to object storage and records it. */
    public SubsetEntity store(SubsetManifest manifest, SubsetSpec spec) {
        store.put(
                Keys.subset(manifest.dataset(), manifest.name()),
                manifest.toJson().getBytes(StandardCharsets.UTF_8),
                "application/json");
        Map<String, Integer> counts = new LinkedHashMap<>();
        manifest.questionIds().forEach((split, list) -> counts.put(split, list.size()));
        SubsetEntity entity = QuarkusTransaction.requiringNew().call(() -> {
            SubsetEntity e = new SubsetEntity();
            e.dataset = manifest.dataset();
            e.name = manifest.name();
            e.seed = spec.seed();
            e.fraction = spec.size().fraction();
            e.count = spec.size().count();
            e.selection = spec.selectionLabel();
            e.sha256 = manifest.sha256();
            e.questionCounts = Json.write(counts);
            e.createdAt = Instant.now();
            e.persist();
            return e;
        });
        metrics.subsetCreated();
        return entity;
    }

    /** A subset of a published dataset, over all its splits. */
    public synchronized Created create(String dataset, SubsetSpec spec) {
        DatasetManifest manifest = catalog.manifest(dataset);
        Map<String, VqaQuestions> splits = new TreeMap<>();
        for (String split : manifest.splits().keySet()) {
            splits.put(split, questions.get(dataset, split));
        }
        SubsetManifest built = build(dataset, splits, spec);
        SubsetEntity existing = QuarkusTransaction.requiringNew().call(() -> SubsetEntity.find(dataset, spec.name()));
        if (existing != null) {
            if (existing.sha256.equals(built.sha256())) {
                return new Created(existing, false);
            }
            throw new DatasetConflict("subset '" + spec.name() + "' of dataset '" + dataset
                    + "' exists with other content (sha256 " + existing.sha256 + "); choose another name");
        }
        if (store.exists(Keys.subset(dataset, spec.name()))) {
            throw new DatasetConflict(
                    "subset '" + spec.name() + "' of dataset '" + dataset + "' exists in object storage ("
                            + store.uri(Keys.subset(dataset, spec.name())) + ") but not in this service's database");
        }
        return new Created(store(built, spec), true);
    }

    /** The manifest as stored, with its ids and sha256. */
    public SubsetManifest manifest(String dataset, String subset) {
        catalog.manifest(dataset);
        SubsetEntity entity = QuarkusTransaction.requiringNew().call(() -> SubsetEntity.find(dataset, subset));
        if (entity == null) {
            throw new NotFoundException("dataset '" + dataset + "' has no subset '" + subset + "'");
        }
        String key = Keys.subset(dataset, subset);
        synchronized (read) {
            SubsetManifest cached = read.get(key);
            if (cached != null && cached.sha256().equals(entity.sha256)) {
                return cached;
            }
        }
        SubsetManifest manifest =
                SubsetManifest.read(new String(store.get(key), StandardCharsets.UTF_8), store.uri(key));
        synchronized (read) {
            read.put(key, manifest);
        }
        return manifest;
    }

    public List<SubsetEntity> of(String dataset) {
        return QuarkusTransaction.requiringNew().call(() -> SubsetEntity.of(dataset));
    }
}
