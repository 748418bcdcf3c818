package ai.vtc.dataset.service;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.DatasetTask;
import ai.vtc.contracts.Json;
import ai.vtc.dataset.config.DatasetConfig;
import ai.vtc.dataset.persistence.DatasetEntity;
import ai.vtc.dataset.persistence.DatasetStatus;
import ai.vtc.dataset.persistence.JobEntity;
import ai.vtc.dataset.persistence.JobKind;
import ai.vtc.dataset.persistence.JobState;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.storage.StorageException;
import ai.vtc.vqa.synth.SyntheticDocVqa;
import ai.vtc.vqa.synth.SyntheticVqa;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Accepts ingests (a local folder, an S3 prefix, a synthetic set) as jobs: the request is checked and the name
 * reserved at once, the data is validated and copied in the background. A job publishes its dataset by writing the
 * manifest last; a failed job deletes what it uploaded and frees the name.
 */
@ApplicationScoped
public class DatasetIngest {
    private static final Logger LOG = Logger.getLogger(DatasetIngest.class);

    private final DatasetCatalog catalog;
    private final Ingester ingester;
    private final SubsetService subsets;
    private final Jobs jobs;
    private final ObjectStore store;
    private final DatasetConfig config;

    public DatasetIngest(
            DatasetCatalog catalog,
            Ingester ingester,
            SubsetService subsets,
            Jobs jobs,
            ObjectStore store,
            DatasetConfig config) {
        this.catalog = catalog;
        this.ingester = ingester;
        this.subsets = subsets;
        this.jobs = jobs;
        this.store = store;
        this.config = config;
    }

    /**
     * Ingests the folder {@code folder} of this machine as {@code name}: in the VQAv2 layout, or in DocVQA's when
     * {@code task} is {@link DatasetTask#DOCVQA}.
     */
    public JobEntity fromFolder(
            String name, String folder, DatasetTask task, List<SubsetSpec> subsetSpecs, String request) {
        Names.check("dataset", name);
        Path root = allowedFolder(folder);
        JobEntity job = catalog.reserve(name, JobKind.FOLDER, "folder " + root, request);
        jobs.start(
                job,
                progress -> {
                    try (FolderSource source = new FolderSource(root, allowedRoots())) {
                        return ingest(name, source, task, source.describe(), subsetSpecs, progress, "folder-" + job.id);
                    }
                },
                e -> catalog.discard(name, !(e instanceof DatasetConflict)));
        return job;
    }

    /**
     * Ingests the objects under {@code prefix} of the project's bucket as {@code name}: in the VQAv2 layout, or in
     * DocVQA's when {@code task} is {@link DatasetTask#DOCVQA}.
     */
    public JobEntity fromS3(
            String name, String prefix, DatasetTask task, List<SubsetSpec> subsetSpecs, String request) {
        Names.check("dataset", name);
        String normalized = sourcePrefix(name, prefix);
        if (store.list(normalized).isEmpty()) {
            throw new InvalidRequest(
                    "nothing under " + store.uri(normalized.substring(0, normalized.length() - 1)) + "/");
        }
        JobEntity job = catalog.reserve(
                name, JobKind.S3, store.uri(normalized.substring(0, normalized.length() - 1)) + "/", request);
        jobs.start(
                job,
                progress -> {
                    try (S3Source source = new S3Source(store, normalized, scratch("s3-" + job.id))) {
                        return ingest(
                                name, source, task, source.describe(), subsetSpecs, progress, "s3-docvqa-" + job.id);
                    }
                },
                e -> catalog.discard(name, !(e instanceof DatasetConflict)));
        return job;
    }

    /** Generates a synthetic VQA set with {@code options} into scratch space and ingests it as {@code name}. */
    public JobEntity synthetic(
            String name, SyntheticVqa.Options options, List<SubsetSpec> subsetSpecs, String request) {
        boolean empty = options.trainImages() == 0 && options.valImages() == 0;
        return generated(
                name,
                options.questions(),
                empty ? "a synthetic set needs at least one image" : null,
                "synthetic " + options.describe(),
                DatasetTask.VQA,
                subsetSpecs,
                request,
                dir -> SyntheticVqa.generate(dir, options));
    }

    /**
     * Generates a synthetic DocVQA set (rendered forms, receipts and tables) with {@code options} into scratch space
     * and ingests it as the DocVQA dataset {@code name}.
     */
    public JobEntity syntheticDocVqa(
            String name, SyntheticDocVqa.Options options, List<SubsetSpec> subsetSpecs, String request) {
        long documents = (long) options.trainDocuments() + options.valDocuments();
        return generated(
                name,
                documents * options.questionsPerDocument(), // in long: no request can wrap it under the limit
                documents == 0 ? "a synthetic set needs at least one document" : null,
                "synthetic " + options.describe(),
                DatasetTask.DOCVQA,
                subsetSpecs,
                request,
                dir -> SyntheticDocVqa.generate(dir, options));
    }

    /** Writes a synthetic set into {@code dir}. */
    @FunctionalInterface
    private interface Generator {
        void generate(Path dir) throws IOException;
    }

    /**
     * Checks a synthetic set's size ({@code emptyProblem}: why it is empty, null when it is not), then generates it
     * into scratch space in a job and ingests it as {@code name} of {@code task}.
     */
    private JobEntity generated(
            String name,
            long questions,
            String emptyProblem,
            String label,
            DatasetTask task,
            List<SubsetSpec> subsetSpecs,
            String request,
            Generator generator) {
        Names.check("dataset", name);
        if (questions > config.syntheticMaxQuestions()) {
            throw new InvalidRequest("a synthetic set of " + questions + " questions is larger than the limit of "
                    + config.syntheticMaxQuestions() + " (datasets.synthetic-max-questions)");
        }
        if (emptyProblem != null) {
            throw new InvalidRequest(emptyProblem);
        }
        JobEntity job = catalog.reserve(name, JobKind.SYNTHETIC, label, request);
        jobs.start(
                job,
                progress -> {
                    Path dir = scratch("synthetic-" + job.id);
                    try {
                        progress.phase("generate", 0);
                        generator.generate(dir);
                        try (FolderSource source = new FolderSource(dir, List.of())) {
                            return ingest(
                                    name, source, task, label, subsetSpecs, progress, "synthetic-staging-" + job.id);
                        }
                    } finally {
                        deleteTree(dir);
                    }
                },
                e -> catalog.discard(name, !(e instanceof DatasetConflict)));
        return job;
    }

    /**
     * Ingests {@code source} as a dataset of {@code task}: a DocVQA source is first staged in the VQAv2 layout in the
     * scratch folder {@code stagingName} ({@link DocVqaStaging}), which is deleted afterwards.
     */
    private Jobs.Outcome ingest(
            String name,
            DatasetSource source,
            DatasetTask task,
            String label,
            List<SubsetSpec> subsetSpecs,
            JobProgress progress,
            String stagingName)
            throws IOException {
        if (task != DatasetTask.DOCVQA) {
            return ingest(name, source, label, subsetSpecs, progress);
        }
        progress.phase("convert", 0);
        Path staged = scratch(stagingName);
        try {
            DocVqaStaging.stage(source, staged);
            try (FolderSource converted = new FolderSource(staged, List.of())) {
                return ingest(name, converted, label, subsetSpecs, progress, DatasetTask.DOCVQA);
            }
        } finally {
            deleteTree(staged);
        }
    }

    private Jobs.Outcome ingest(
            String name, DatasetSource source, String label, List<SubsetSpec> subsetSpecs, JobProgress progress)
            throws IOException {
        return ingest(name, source, label, subsetSpecs, progress, null);
    }

    /** {@code task} goes into the manifest; null leaves it out, as VQA manifests always were. */
    private Jobs.Outcome ingest(
            String name,
            DatasetSource source,
            String label,
            List<SubsetSpec> subsetSpecs,
            JobProgress progress,
            DatasetTask task)
            throws IOException {
        Ingester.Ingested ingested = ingester.ingest(name, source, label, progress);
        progress.phase("subsets", subsetSpecs.size());
        for (SubsetSpec spec : subsetSpecs) {
            subsets.store(SubsetService.build(name, ingested.splits(), spec), spec);
            progress.advance(1);
        }
        progress.phase("publish", 1);
        DatasetManifest read = ingested.manifest();
        DatasetManifest manifest =
                new DatasetManifest(read.name(), read.splits(), read.source(), read.createdAt(), task);
        catalog.publish(manifest);
        progress.advance(1);
        StringBuilder summary = new StringBuilder("dataset " + name + " published:");
        manifest.splits()
                .forEach((split, s) -> summary.append(' ')
                        .append(split)
                        .append(' ')
                        .append(s.questions())
                        .append(" questions / ")
                        .append(s.images())
                        .append(" images;"));
        if (!subsetSpecs.isEmpty()) {
            summary.append(" subsets ")
                    .append(subsetSpecs.stream().map(SubsetSpec::name).toList());
        }
        long images = manifest.splits().values().stream()
                .mapToLong(DatasetManifest.Split::images)
                .sum();
        return new Jobs.Outcome(summary.toString(), images);
    }

    /** The requested folder, absolute and real, inside one of {@link DatasetConfig#ingestRoots()}. */
    private Path allowedFolder(String folder) {
        if (folder == null || folder.isBlank()) {
            throw new InvalidRequest("give the folder to ingest");
        }
        Path path = Path.of(folder);
        if (!path.isAbsolute()) {
            throw new InvalidRequest("folder '" + folder + "' must be an absolute path");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new InvalidRequest("folder '" + folder + "' does not exist or cannot be read");
        }
        if (!Files.isDirectory(real)) {
            throw new InvalidRequest("'" + folder + "' is not a folder");
        }
        List<Path> roots = allowedRoots();
        if (roots.stream().noneMatch(real::startsWith)) {
            throw new InvalidRequest("folder '" + folder + "' is outside the folders this service may read (" + roots
                    + ", datasets.ingest-roots)");
        }
        return real;
    }

    /** The real paths of {@link DatasetConfig#ingestRoots()} that exist; without any, folder ingest is refused. */
    private List<Path> allowedRoots() {
        if (config.ingestRoots().isEmpty()) {
            throw new InvalidRequest("folder ingest is off: this service reads local folders only inside"
                    + " datasets.ingest-roots, which is not set (ingest an s3_prefix, or set it)");
        }
        List<Path> roots = new java.util.ArrayList<>();
        for (Path root : config.ingestRoots().get()) {
            try {
                roots.add(root.toRealPath());
            } catch (IOException e) {
                LOG.warnf("datasets.ingest-roots: %s does not exist", root);
            }
        }
        if (roots.isEmpty()) {
            throw new InvalidRequest("none of the folders in datasets.ingest-roots exists: "
                    + config.ingestRoots().get());
        }
        return roots;
    }

    /** {@code prefix} as a checked key prefix ending with {@code /}, apart from the dataset it is copied to. */
    private static String sourcePrefix(String name, String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new InvalidRequest("give the S3 prefix to ingest");
        }
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        try {
            Keys.check(trimmed);
        } catch (StorageException e) {
            throw new InvalidRequest("S3 prefix: " + e.getMessage());
        }
        String normalized = trimmed + "/";
        String target = Keys.dataset(name);
        if (normalized.startsWith(target) || target.startsWith(normalized)) {
            throw new InvalidRequest("the S3 prefix " + normalized + " overlaps the dataset's own " + target);
        }
        return normalized;
    }

    private Path scratch(String name) throws IOException {
        return Files.createDirectories(config.scratch().resolve(name));
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("cannot delete %s: %s", dir, e.getMessage());
        }
    }

    /**
     * Jobs that were running when the service stopped: a dataset whose manifest was written is published, any other
     * is discarded. One dataset service per database is assumed.
     */
    void recover(@Observes StartupEvent start) {
        List<JobEntity> unfinished = QuarkusTransaction.requiringNew().call(JobEntity::unfinished);
        for (JobEntity job : unfinished) {
            try {
                DatasetEntity dataset =
                        QuarkusTransaction.requiringNew().call(() -> DatasetEntity.findById(job.dataset));
                boolean ours =
                        dataset != null && dataset.status == DatasetStatus.INGESTING && job.id.equals(dataset.jobId);
                String key = Keys.datasetManifest(job.dataset);
                boolean published = ours && store.exists(key);
                if (published) {
                    String json = new String(store.get(key), StandardCharsets.UTF_8);
                    Json.read(json, DatasetManifest.class);
                    QuarkusTransaction.requiringNew().run(() -> {
                        DatasetEntity d = DatasetEntity.findById(job.dataset);
                        d.status = DatasetStatus.READY;
                        d.manifestJson = json;
                        d.readyAt = Instant.now();
                    });
                } else if (ours) {
                    catalog.discard(job.dataset, true);
                }
                QuarkusTransaction.requiringNew().run(() -> {
                    JobEntity j = JobEntity.findById(job.id);
                    j.state = published ? JobState.SUCCEEDED : JobState.FAILED;
                    j.message = published
                            ? "the service stopped after the manifest was written; the dataset is published"
                            : "the service stopped while the job ran; what it had uploaded was deleted";
                    j.finishedAt = Instant.now();
                });
                LOG.infof(
                        "job %s of dataset %s, unfinished at the last stop: %s",
                        job.id, job.dataset, published ? "published" : "discarded");
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot recover job %s of dataset %s", job.id, job.dataset);
            }
        }
    }
}
