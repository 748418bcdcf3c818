package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class DatabaseFailuresTest {
    private static RuntimeException wrapped(Throwable cause) {
        return new RuntimeException("transaction failed", new IllegalStateException("inner", cause));
    }

    @Test
    void anUnreachableOrRestartingDatabaseAndAbortedTransactionsAreTransient() {
        for (String state : new String[] {"08001", "08006", "57P01", "57P03", "53300", "40001", "40P01", "55P03"}) {
            assertTrue(DatabaseFailures.isTransient(wrapped(new SQLException("x", state))), state);
        }
        assertTrue(DatabaseFailures.isTransient(wrapped(new SQLTransientConnectionException("pool"))));
        assertTrue(DatabaseFailures.isTransient(wrapped(
                new SQLException("Acquisition timeout while waiting for new connection", new TimeoutException()))));
        assertTrue(DatabaseFailures.isTransient(wrapped(new SQLException("duplicate key", "23505"))));
    }

    @Test
    void badDataAndBugsAreNot() {
        assertFalse(DatabaseFailures.isTransient(wrapped(new SQLException("value too long", "22001"))));
        assertFalse(DatabaseFailures.isTransient(wrapped(new SQLException("not null", "23502"))));
        assertFalse(DatabaseFailures.isTransient(wrapped(new SQLException("no such column", "42703"))));
        assertFalse(DatabaseFailures.isTransient(new NullPointerException()));
        assertFalse(DatabaseFailures.isTransient(wrapped(new SQLException("no state"))));
    }
}
