package ai.vtc.evaluator.config;

import ai.vtc.storage.ObjectStore;
import io.smallrye.config.ConfigMapping;

/** Object storage (MinIO, S3Proxy or AWS S3) holding datasets, models, checkpoints and predictions. */
@ConfigMapping(prefix = "vtc.s3")
public interface S3Config {
    /** S3 API endpoint, e.g. http://127.0.0.1:19000. */
    String endpoint();

    /** Access key id. */
    String accessKey();

    /** Secret access key. */
    String secretKey();

    /** The project's bucket. */
    String bucket();

    default ObjectStore store() {
        return new ObjectStore(endpoint(), accessKey(), secretKey(), bucket());
    }
}
