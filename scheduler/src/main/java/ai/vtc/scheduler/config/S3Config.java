package ai.vtc.scheduler.config;

import ai.vtc.storage.S3Settings;
import io.smallrye.config.ConfigMapping;

/** Object storage (MinIO, S3Proxy or AWS S3): keys {@code vtc.s3.endpoint, access-key, secret-key, bucket}. */
@ConfigMapping(prefix = "vtc.s3")
public interface S3Config extends S3Settings {}
