package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Map;

/**
 * {@code datasets/<name>/manifest.json}, written last by the dataset service: a dataset without it is not visible.
 *
 * @param splits per split (e.g. {@code train}, {@code val}) what it holds and how its images are named
 * @param source where it came from ({@code synthetic seed=7}, a folder, an S3 prefix)
 * @param task what its questions ask, which decides the metric; absent in manifests from before tasks existed, which
 *     are VQA ({@link #datasetTask()})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetManifest(
        String name, Map<String, Split> splits, String source, Instant createdAt, DatasetTask task) {

    /** A VQA dataset's manifest, as manifests were before tasks existed. */
    public DatasetManifest(String name, Map<String, Split> splits, String source, Instant createdAt) {
        this(name, splits, source, createdAt, null);
    }

    /** {@link #task()}, VQA when the manifest names none. */
    public DatasetTask datasetTask() {
        return task == null ? DatasetTask.VQA : task;
    }

    /**
     * One split. Images are {@code datasets/<name>/images/<imagePrefix><image id, 12 digits>.<imageExtension>}, as
     * COCO names them ({@code COCO_val2014_000000000042.jpg}).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Split(int questions, int images, String imagePrefix, String imageExtension) {
        public String imageFileName(long imageId) {
            return imagePrefix + String.format("%012d", imageId) + "." + imageExtension;
        }
    }
}
