package ai.vtc.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.errors.ErrorResponseException;
import io.minio.messages.ErrorResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StorageFailuresTest {
    @Test
    void anUnreachableOrSlowServerIsTransient() {
        assertTrue(StorageFailures.isTransient(new StorageException("get k", new ConnectException("refused"))));
        assertTrue(StorageFailures.isTransient(new StorageException("get k", new SocketException("Connection reset"))));
        assertTrue(StorageFailures.isTransient(new StorageException("get k", new SocketTimeoutException("slow"))));
    }

    @Test
    void contentThatDoesNotParseAndBadKeysAreNot() {
        assertFalse(StorageFailures.isTransient(new IOException("Unexpected end-of-input within/between Object")));
        assertFalse(StorageFailures.isTransient(new StorageException("invalid key ../x")));
        assertFalse(StorageFailures.isTransient(new IllegalArgumentException("bad json")));
    }

    /** An S3 error answer is decided by its HTTP status (5xx and 429 pass) and its code. */
    @ParameterizedTest
    @CsvSource({
        "503, SlowDown, true",
        "503, ServiceUnavailable, true",
        "500, InternalError, true",
        "502, BadGateway, true",
        "429, TooManyRequests, true",
        "400, RequestTimeout, true",
        "404, NoSuchKey, false",
        "404, NoSuchBucket, false",
        "403, AccessDenied, false",
        "403, SignatureDoesNotMatch, false",
        "403, InvalidAccessKeyId, false",
        "400, InvalidArgument, false"
    })
    void anErrorAnswerIsTransientForServerFaultsAndThrottlingOnly(int status, String code, boolean expected) {
        Response response = new Response.Builder()
                .request(new Request.Builder().url("http://127.0.0.1:1/vtc/k").build())
                .protocol(Protocol.HTTP_1_1)
                .code(status)
                .message(code)
                .build();
        ErrorResponseException e = new ErrorResponseException(
                new ErrorResponse(code, code, "vtc", "k", "/vtc/k", "req", "host"), response, "trace");
        assertEquals(expected, StorageFailures.isTransient(new StorageException("get k", e)), status + " " + code);
    }
}
