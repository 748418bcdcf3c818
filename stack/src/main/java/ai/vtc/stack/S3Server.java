package ai.vtc.stack;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real S3-compatible server: S3Proxy with its filesystem backend and SigV4 credentials. */
public final class S3Server extends ProcessComponent {

    public S3Server(StackConfig config) {
        super(config, "s3", config.dataDir().resolve("s3"), "TERM", Duration.ofSeconds(15));
    }

    @Override
    public List<Integer> ports() {
        return List.of(config.s3Port());
    }

    @Override
    public void start() {
        Path properties = writeConfig();
        List<String> command = List.of(
                Classpaths.java(),
                "-Xms64m",
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-jar",
                Classpaths.single("s3proxy").toString(),
                "--properties",
                properties.toString());
        process = ChildProcess.start(config, name(), command, Map.of(), home);
        MinioClient client = client(config);
        String bucket = config.s3().bucket();
        Readiness.await("S3 on " + config.s3Endpoint(), process, Duration.ofSeconds(120), () -> {
            try {
                if (!client.bucketExists(
                        BucketExistsArgs.builder().bucket(bucket).build())) {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                }
                return null;
            } catch (Exception e) {
                return "S3 not answering: " + e.getMessage();
            }
        });
    }

    /** A MinIO client for this stack's S3 server. */
    public static MinioClient client(StackConfig config) {
        return MinioClient.builder()
                .endpoint(config.s3Endpoint())
                .credentials(config.s3().accessKey(), config.s3().secretKey())
                .region("us-east-1")
                .build();
    }

    private Path writeConfig() {
        Path blobs = home.resolve("blobs");
        String properties = String.join(
                "\n",
                "s3proxy.endpoint=http://" + config.host() + ":" + config.s3Port(),
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + config.s3().accessKey(),
                "s3proxy.credential=" + config.s3().secretKey(),
                "s3proxy.cors-allow-all=true",
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + blobs,
                "jclouds.regions=us-east-1",
                "");
        try {
            Files.createDirectories(blobs);
        } catch (IOException e) {
            throw new StackException("cannot create " + blobs + ": " + e.getMessage(), e);
        }
        return writeFile("s3proxy.properties", properties);
    }

    @Override
    public String describe() {
        return "S3 (S3Proxy)     " + config.s3Endpoint() + "   bucket "
                + config.s3().bucket() + ", access key " + config.s3().accessKey() + ", secret "
                + config.s3().secretKey();
    }
}
