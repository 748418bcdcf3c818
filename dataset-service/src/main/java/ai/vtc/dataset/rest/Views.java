package ai.vtc.dataset.rest;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.Json;
import ai.vtc.dataset.persistence.DatasetEntity;
import ai.vtc.dataset.persistence.JobEntity;
import ai.vtc.dataset.persistence.SubsetEntity;
import ai.vtc.dataset.service.JobProgress;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON the endpoints answer with (snake_case on the wire). */
public final class Views {
    private Views() {}

    /**
     * An ingest job.
     *
     * @param state queued, running, succeeded or failed
     * @param phase queued, scan, validate, images, files, subsets, publish, done (generate first for synthetic sets)
     * @param done units of the phase done (images in the images phase)
     * @param message the summary on success, the error (naming the file and id) on failure
     */
    public record Job(
            String id,
            String dataset,
            String kind,
            String state,
            String phase,
            long done,
            long total,
            String message,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt) {
        /** {@code live} progress counts only while the stored job has not finished. */
        static Job of(JobEntity job, JobProgress.Snapshot progress) {
            JobProgress.Snapshot live = job.state.isFinished() ? null : progress;
            return new Job(
                    job.id,
                    job.dataset,
                    job.kind.label(),
                    job.state.label(),
                    live != null ? live.phase() : job.phase,
                    live != null ? live.done() : job.done,
                    live != null ? live.total() : job.total,
                    job.message,
                    job.createdAt,
                    job.startedAt,
                    job.finishedAt);
        }
    }

    /** A dataset in the list: its splits (questions, images, image naming). */
    public record DatasetSummary(
            String name, String source, Instant createdAt, Map<String, DatasetManifest.Split> splits) {
        static DatasetSummary of(DatasetEntity d) {
            DatasetManifest m = Json.read(d.manifestJson, DatasetManifest.class);
            return new DatasetSummary(d.name, m.source(), m.createdAt(), m.splits());
        }
    }

    /** A dataset with its manifest (as in object storage) and its subsets. */
    public record DatasetDetail(String name, DatasetManifest manifest, List<Subset> subsets) {}

    /**
     * A subset without its ids ({@code GET .../subsets/{subset}} has them).
     *
     * @param fraction the requested share of each split, null for a count
     * @param count the requested number per split, null for a fraction
     * @param questions questions per split
     */
    public record Subset(
            String dataset,
            String name,
            long seed,
            Double fraction,
            Long count,
            String selection,
            String sha256,
            Map<String, Integer> questions,
            Instant createdAt) {
        static Subset of(SubsetEntity s) {
            Map<String, Integer> counts;
            try {
                counts = Json.mapper().readValue(s.questionCounts, new TypeReference<Map<String, Integer>>() {});
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("subset " + s.name + ": unreadable question counts", e);
            }
            return new Subset(
                    s.dataset, s.name, s.seed, s.fraction, s.count, s.selection, s.sha256, counts, s.createdAt);
        }
    }
}
