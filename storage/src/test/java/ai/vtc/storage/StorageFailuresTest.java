package ai.vtc.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class StorageFailuresTest {
    @Test
    void anUnreachableOrSlowServerIsTransient() {
        assertTrue(StorageFailures.isTransient(new StorageException("get k", new ConnectException("refused"))));
        assertTrue(StorageFailures.isTransient(new StorageException("get k", new SocketTimeoutException("slow"))));
    }

    @Test
    void contentThatDoesNotParseAndBadKeysAreNot() {
        assertFalse(StorageFailures.isTransient(new IOException("Unexpected end-of-input within/between Object")));
        assertFalse(StorageFailures.isTransient(new StorageException("invalid key ../x")));
        assertFalse(StorageFailures.isTransient(new IllegalArgumentException("bad json")));
    }
}
