package ai.vtc.storage;

import io.smallrye.config.ConfigMapping;

/**
 * Where the project's bucket is: the keys {@code vtc.s3.endpoint, access-key, secret-key, bucket} of every service
 * (environment {@code VTC_S3_ENDPOINT}, ...). One mapping for the four services, found by Quarkus through this jar's
 * {@code META-INF/beans.xml}; none of the keys has a default here, so a service started without them stops at once
 * and names the missing key.
 */
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

    /** For the start-up log: {@code bucket <name> at <endpoint>}, never the keys. */
    default String describe() {
        return "bucket " + bucket() + " at " + endpoint();
    }

    /** A client of the bucket. */
    default ObjectStore store() {
        return new ObjectStore(endpoint(), accessKey(), secretKey(), bucket());
    }
}
