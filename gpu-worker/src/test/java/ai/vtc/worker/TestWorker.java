package ai.vtc.worker;

import ai.vtc.stack.StackConfig;
import ai.vtc.stack.testing.TestStack;
import ai.vtc.storage.ObjectStore;
import ai.vtc.worker.config.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** What tests need to build the worker's classes in the test JVM, against the test stack's servers. */
public final class TestWorker {
    private TestWorker() {}

    /** The test stack's bucket. */
    public static ObjectStore objectStore() {
        StackConfig stack = TestStack.get().config();
        return new ObjectStore(
                stack.s3Endpoint(),
                stack.s3().accessKey(),
                stack.s3().secretKey(),
                stack.s3().bucket());
    }

    /** The worker's settings for a run in the test JVM: CPU, one engine thread, no trials consumer. */
    public record Config(String name, Path cacheDir) implements WorkerConfig {
        @Override
        public Optional<String> id() {
            return Optional.of(name);
        }

        @Override
        public String device() {
            return "cpu";
        }

        @Override
        public int progressIntervalSeconds() {
            return 5;
        }

        @Override
        public boolean consume() {
            return false;
        }

        @Override
        public int sessionTimeoutMs() {
            return 10000;
        }

        @Override
        public int shutdownGraceSeconds() {
            return 10;
        }

        @Override
        public Duration heartbeatInterval() {
            return Duration.ofSeconds(1);
        }

        @Override
        public int threads() {
            return 1;
        }

        @Override
        public int maxAttemptsPerTrial() {
            return 3;
        }

        @Override
        public Duration consumerUnhealthyAfter() {
            return Duration.ofSeconds(60);
        }
    }
}
