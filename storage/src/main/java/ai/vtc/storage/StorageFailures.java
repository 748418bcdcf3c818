package ai.vtc.storage;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.ServerException;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * Which object-storage failures go away by themselves, so that a service retries them instead of recording a
 * verdict: the server unreachable, timing out, answering 5xx or {@code SlowDown}, or a read cut short. An answer
 * about the object itself (it does not exist, access is denied, the key is invalid) stays the same when retried, and
 * so does content that does not parse (an {@code IOException} of a parser is not a fault of the store).
 * Decided anywhere in the cause chain.
 */
public final class StorageFailures {
    private static final Set<String> ANSWERS_ABOUT_THE_OBJECT = Set.of(
            "NoSuchKey", "NoSuchObject", "NoSuchBucket", "AccessDenied", "InvalidObjectName", "InvalidBucketName");

    private StorageFailures() {}

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException e) {
                return !ANSWERS_ABOUT_THE_OBJECT.contains(e.errorResponse().code());
            }
            if (t instanceof ServerException
                    || t instanceof InsufficientDataException
                    || t instanceof SocketException // connection refused or reset
                    || t instanceof InterruptedIOException // timeouts
                    || t instanceof UnknownHostException
                    || t instanceof ProtocolException // a response cut short
                    || t instanceof EOFException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
