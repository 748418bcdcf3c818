package ai.vtc.storage;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * The one place that decides which object-storage failures go away by themselves, so that a service retries them
 * instead of recording a verdict (a failed attempt, a corrupt checkpoint, a FAILED evaluation): the server
 * unreachable (connection refused or reset, unknown host), timing out, answering 5xx, 429 or {@code SlowDown}, a
 * non-S3 answer (a proxy's error page), or a read cut short. An answer about the object or the request itself (it
 * does not exist, access is denied, the key, signature or credentials are wrong) stays the same when retried, and so
 * does content that does not parse (an {@code IOException} of a parser is not a fault of the store), and so does a
 * checksum that does not match. Decided on the first S3 or network failure in the cause chain.
 */
public final class StorageFailures {
    private static final Set<String> TRANSIENT_CODES =
            Set.of("SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout", "TooManyRequests");

    private StorageFailures() {}

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException e) {
                int status = e.response() == null ? 0 : e.response().code();
                return status >= 500
                        || status == 429
                        || TRANSIENT_CODES.contains(e.errorResponse().code());
            }
            if (t instanceof ServerException
                    || t instanceof InvalidResponseException // not an S3 answer: a proxy or balancer in the way
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
