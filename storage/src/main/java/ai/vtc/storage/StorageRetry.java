package ai.vtc.storage;

import java.util.function.Supplier;

/**
 * How an {@link ObjectStore} runs each operation: once ({@link #ONCE}, the default), or again while it fails
 * transiently ({@link StorageFailures#isTransient}), as a service that must wait out an object-storage outage
 * configures it. An operation is retried as a whole: a download or a read starts again from the first byte.
 */
public interface StorageRetry {
    /**
     * Runs {@code operation}, described by {@code what} ("get checkpoints/t/step-4/state.json") for the log lines of
     * its retries.
     */
    <T> T call(String what, Supplier<T> operation);

    /** Every operation runs once; its failure goes to the caller. */
    StorageRetry ONCE = new StorageRetry() {
        @Override
        public <T> T call(String what, Supplier<T> operation) {
            return operation.get();
        }
    };
}
