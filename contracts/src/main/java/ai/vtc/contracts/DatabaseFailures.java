package ai.vtc.contracts;

import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.concurrent.TimeoutException;

/**
 * Which database failures go away by themselves, so that a service retries them ({@link Backoff}) instead of
 * recording a verdict or dead-lettering a record: PostgreSQL unreachable, restarting or out of connections, the
 * connection lost, no pooled connection in time, or the transaction aborted by a deadlock, a serialization failure,
 * a lock timeout or a concurrent insert of the same row (the retry sees that row). Every other failure (bad data, a
 * bug) stays the same when retried. Decided on the JDBC exception anywhere in the cause chain, by its SQLSTATE.
 */
public final class DatabaseFailures {
    private DatabaseFailures() {}

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SocketException
                    || t instanceof TimeoutException) { // the pool's acquisition timeout
                return true;
            }
            if (t instanceof SQLException sql && isTransientState(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes 08 (connection), 40 (transaction rollback: serialization, deadlock), 53 (insufficient
     * resources: too many connections), 57 (operator intervention: shutdown, restart, cancel) and 58 (system error:
     * I/O); 55P03 (lock not available) and 23505 (a concurrent insert of the same key).
     */
    static boolean isTransientState(String state) {
        if (state == null || state.length() != 5) {
            return false;
        }
        return switch (state.substring(0, 2)) {
            case "08", "40", "53", "57", "58" -> true;
            default -> state.equals("55P03") || state.equals("23505");
        };
    }
}
