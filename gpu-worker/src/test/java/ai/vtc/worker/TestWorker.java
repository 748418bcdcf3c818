package ai.vtc.worker;

import ai.vtc.stack.StackConfig;
import ai.vtc.stack.testing.TestStack;
import ai.vtc.storage.ObjectStore;
import ai.vtc.worker.config.WorkerConfig;
import ai.vtc.worker.messaging.EventPublisher;
import ai.vtc.worker.metrics.WorkerMetrics;
import ai.vtc.worker.service.AnswerStore;
import ai.vtc.worker.service.CheckpointStore;
import ai.vtc.worker.service.FaultInjection;
import ai.vtc.worker.service.Florence2TrialRunner;
import ai.vtc.worker.service.RungOutputs;
import ai.vtc.worker.service.StopSignal;
import ai.vtc.worker.service.StorageInputs;
import ai.vtc.worker.service.TrialExecutor;
import ai.vtc.worker.service.TrialHeartbeat;
import ai.vtc.worker.service.TrialOutputs;
import ai.vtc.worker.service.TrialRuns;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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

    /**
     * The worker's trial executor built by hand in the test JVM, wired as the application wires it (no fault injection),
     * over {@code store} and publishing with {@code events}.
     */
    public static TrialExecutor executor(
            ObjectStore store, EventPublisher events, WorkerConfig config, StopSignal stop, MeterRegistry registry) {
        Florence2TrialRunner runner = new Florence2TrialRunner(config);
        return new TrialExecutor(
                new CheckpointStore(store),
                new StorageInputs(store, config, runner),
                runner,
                new TrialOutputs(store, events, config),
                new AnswerStore(store),
                new RungOutputs(store, events),
                events,
                stop,
                new TrialHeartbeat(store, events, config),
                new TrialRuns(store, config),
                FaultInjection.none(),
                new WorkerMetrics(registry),
                config);
    }

    /** {@code config} with its trials consumer on. */
    public static WorkerConfig consuming(WorkerConfig config) {
        return (WorkerConfig) Proxy.newProxyInstance(
                WorkerConfig.class.getClassLoader(), new Class<?>[] {WorkerConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("consume")) {
                        return true;
                    }
                    try {
                        return method.invoke(config, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * The worker's settings for a run in the test JVM: {@code device} ({@code cpu} unless given), one engine thread,
     * no trials consumer.
     */
    public record Config(String name, Path cacheDir, String device) implements WorkerConfig {
        public Config(String name, Path cacheDir) {
            this(name, cacheDir, "cpu");
        }

        @Override
        public Optional<String> id() {
            return Optional.of(name);
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

        /** Short pauses: a test's outage of some seconds is retried a few times, not once. */
        @Override
        public StorageRetry storageRetry() {
            return new StorageRetry() {
                @Override
                public Duration firstPause() {
                    return Duration.ofMillis(200);
                }

                @Override
                public Duration maxPause() {
                    return Duration.ofSeconds(2);
                }

                @Override
                public Duration giveUpAfter() {
                    return Duration.ofMinutes(3);
                }
            };
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
