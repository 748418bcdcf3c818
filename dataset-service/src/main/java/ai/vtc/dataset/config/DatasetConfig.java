package ai.vtc.dataset.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The dataset service's own settings (prefix {@code datasets}). */
@ConfigMapping(prefix = "datasets")
public interface DatasetConfig {
    /**
     * Token every change (POST: ingests, synthetic sets, subsets) must carry as {@code Authorization: Bearer <token>};
     * the scheduler's token ({@code scheduler.api-token}). Required in production.
     */
    String apiToken();

    /** Scratch folder for synthetic sets and S3-sourced JSON files while a job runs; default the JVM's temp dir. */
    Optional<Path> workDir();

    /** Threads that decode and upload images during an ingest. */
    @WithDefault("2")
    int ingestThreads();

    /** How often a running job logs its progress and stores it in the database. */
    @WithDefault("5s")
    Duration progressInterval();

    /**
     * Folders a local ingest may read from (the folder and everything below it, links included only where they lead
     * inside one of them); unset: no folder ingest at all (S3 prefixes and synthetic sets still work), so a service
     * reachable over a network never reads its own disk unless told where.
     */
    Optional<List<Path>> ingestRoots();

    /**
     * Most pixels (width x height) an ingested image may declare in its header; more is refused before decoding, so
     * a decompression bomb takes no memory. 50 megapixels is far above any VQAv2 or COCO photo.
     */
    @WithDefault("50000000")
    long maxImagePixels();

    /** Most questions a synthetic dataset may have (train + val). */
    @WithDefault("200000")
    int syntheticMaxQuestions();

    /** Largest page of {@code GET /datasets/{name}/splits/{split}/questions}. */
    @WithDefault("5000")
    int maxPageSize();

    /** Question files kept in memory to serve pages (each VQAv2 train split takes about 40 MB). */
    @WithDefault("4")
    int cachedSplits();

    /** The scratch folder, created when missing. */
    default Path scratch() {
        return workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "vtc-datasets"));
    }
}
