package ai.vtc.storage;

/**
 * Where the project's bucket is. Each service binds it to its configuration with a one-line
 * {@code @ConfigMapping(prefix = "vtc.s3") interface S3Config extends S3Settings {}}.
 */
public interface S3Settings {
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
