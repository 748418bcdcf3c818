package ai.vtc.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The project's bucket through the S3 API (MinIO's Java client), with the few operations the services need.
 * Keys are checked by {@link Keys}; every failure is a {@link StorageException} naming the key. Each operation runs
 * through the store's {@link StorageRetry} (once, unless {@link #withRetry} says otherwise), as a whole: a read or a
 * download cut short starts again; {@link #open} and {@link #putStream} hand a stream over and run once.
 */
public final class ObjectStore {
    private final MinioClient client;
    private final String bucket;
    private final String endpoint;
    private final StorageRetry retry;

    public ObjectStore(String endpoint, String accessKey, String secretKey, String bucket) {
        this(
                MinioClient.builder()
                        .endpoint(endpoint)
                        .credentials(accessKey, secretKey)
                        .region("us-east-1")
                        .build(),
                bucket,
                endpoint,
                StorageRetry.ONCE);
    }

    private ObjectStore(MinioClient client, String bucket, String endpoint, StorageRetry retry) {
        this.client = client;
        this.bucket = bucket;
        this.endpoint = endpoint;
        this.retry = retry;
    }

    /** The same bucket, with every operation run through {@code retry}. */
    public ObjectStore withRetry(StorageRetry retry) {
        return new ObjectStore(client, bucket, endpoint, retry);
    }

    public String bucket() {
        return bucket;
    }

    /** {@code s3://<bucket>/<key>}, the form messages carry; a prefix keeps its trailing slash. */
    public String uri(String key) {
        Keys.check(key.endsWith("/") ? key.substring(0, key.length() - 1) : key);
        return "s3://" + bucket + "/" + key;
    }

    /** The key of an {@code s3://<bucket>/<key>} URI of this bucket. */
    public String keyOf(String uri) {
        String prefix = "s3://" + bucket + "/";
        if (!uri.startsWith(prefix)) {
            throw new StorageException("'" + uri + "' is not an object of bucket " + bucket);
        }
        return Keys.check(uri.substring(prefix.length()));
    }

    /** Creates the bucket when it does not exist. */
    public void ensureBucket() {
        retried("create bucket " + bucket, () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
            return null;
        });
    }

    public void put(String key, byte[] bytes, String contentType) {
        Keys.check(key);
        retried(
                "put " + key,
                () -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(
                                new ByteArrayInputStream(bytes), bytes.length, -1)
                        .contentType(contentType)
                        .build()));
    }

    public void putFile(String key, Path file) {
        Keys.check(key);
        retried(
                "upload " + file + " to " + key,
                () -> client.uploadObject(UploadObjectArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .filename(file.toString())
                        .build()));
    }

    /** Streams {@code size} bytes (or -1 when unknown) from {@code in} to {@code key}. */
    public void putStream(String key, InputStream in, long size, String contentType) {
        Keys.check(key);
        call(
                "put " + key,
                () -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(
                                in, size, size < 0 ? 16L * 1024 * 1024 : -1)
                        .contentType(contentType)
                        .build()));
    }

    public byte[] get(String key) {
        Keys.check(key);
        return retry.call("get " + key, () -> {
            try (InputStream in = open(key)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new StorageException("cannot read " + key + ": " + e.getMessage(), e);
            }
        });
    }

    /** The object's content; the caller closes the stream. */
    public InputStream open(String key) {
        Keys.check(key);
        return call(
                "get " + key,
                () -> client.getObject(
                        GetObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    /**
     * Downloads the object to {@code target}: into a temporary file of a name no other download uses, in the same
     * folder, then renamed onto {@code target} in one step, so that processes sharing the folder never see (or write
     * into) a partial file.
     */
    public void download(String key, Path target) {
        Keys.check(key);
        retry.call("download " + key, () -> {
            Path partial = null;
            try (InputStream in = open(key)) {
                Path dir = Files.createDirectories(target.toAbsolutePath().getParent());
                partial = Files.createTempFile(dir, "." + target.getFileName() + ".", ".partial");
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return null;
            } catch (IOException e) {
                throw new StorageException("cannot download " + key + " to " + target + ": " + e.getMessage(), e);
            } finally {
                deleteQuietly(partial);
            }
        });
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary name no one else uses: left behind, harmless
            }
        }
    }

    /** Size of the object, or empty when it does not exist. */
    public Optional<Long> size(String key) {
        return stat(key).map(StatObjectResponse::size);
    }

    /**
     * What identifies this version of the object (ETag, size, last modified), or empty when it does not exist: a copy
     * made from an object with the same fingerprint has the same content.
     */
    public Optional<String> fingerprint(String key) {
        return stat(key).map(s -> s.etag() + " " + s.size() + " " + s.lastModified());
    }

    private Optional<StatObjectResponse> stat(String key) {
        Keys.check(key);
        return retry.call("stat " + key, () -> {
            try {
                return Optional.of(client.statObject(
                        StatObjectArgs.builder().bucket(bucket).object(key).build()));
            } catch (ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code())
                        || "NoSuchObject".equals(e.errorResponse().code())) {
                    return Optional.empty();
                }
                throw new StorageException("cannot stat " + key + ": " + e.getMessage(), e);
            } catch (Exception e) {
                throw new StorageException("cannot stat " + key + ": " + e.getMessage(), e);
            }
        });
    }

    public boolean exists(String key) {
        return size(key).isPresent();
    }

    /** Keys under {@code prefix} (recursively), in lexicographic order. */
    public List<String> list(String prefix) {
        return retried("list " + prefix, () -> {
            List<String> keys = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .recursive(true)
                    .build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    keys.add(item.objectName());
                }
            }
            keys.sort(String::compareTo);
            return keys;
        });
    }

    public void delete(String key) {
        Keys.check(key);
        retried("delete " + key, () -> {
            client.removeObject(
                    RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    /** A URL anyone can GET the object with for {@code expirySeconds}, signed with this store's credentials. */
    public String presignedGet(String key, int expirySeconds) {
        Keys.check(key);
        return call(
                "presign " + key,
                () -> client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                        .method(Method.GET)
                        .bucket(bucket)
                        .object(key)
                        .expiry(expirySeconds)
                        .build()));
    }

    /**
     * A URL anyone can PUT the object's content to for {@code expirySeconds} (one request, no credentials), signed with
     * this store's credentials: lets a client upload large files without passing them through a service.
     */
    public String presignedPut(String key, int expirySeconds) {
        Keys.check(key);
        return call(
                "presign upload of " + key,
                () -> client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                        .method(Method.PUT)
                        .bucket(bucket)
                        .object(key)
                        .expiry(expirySeconds)
                        .build()));
    }

    public String endpoint() {
        return endpoint;
    }

    private interface S3Call<T> {
        T run() throws Exception;
    }

    /** One S3 call through the store's {@link StorageRetry}. */
    private <T> T retried(String what, S3Call<T> call) {
        return retry.call(what, () -> call(what, call));
    }

    private static <T> T call(String what, S3Call<T> call) {
        try {
            return call.run();
        } catch (ErrorResponseException e) {
            throw new StorageException(
                    "S3 refused to " + what + ": " + e.errorResponse().code() + " "
                            + e.errorResponse().message(),
                    e);
        } catch (Exception e) {
            throw new StorageException("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
