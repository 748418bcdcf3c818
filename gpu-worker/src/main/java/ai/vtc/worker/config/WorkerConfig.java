package ai.vtc.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The worker's settings; every key can also be set as an environment variable, e.g. {@code WORKER_DEVICE}. */
@ConfigMapping(prefix = "worker")
public interface WorkerConfig {
    /** Name in events and logs; default: host name and process id. */
    Optional<String> id();

    /** {@link #id()}, or the host name and process id (a default no configuration value can spell). */
    default String workerId() {
        return id().orElseGet(() -> {
            long pid = ProcessHandle.current().pid();
            try {
                return InetAddress.getLocalHost().getHostName() + "-" + pid;
            } catch (IOException e) {
                return "worker-" + pid;
            }
        });
    }

    /**
     * {@code cpu}, {@code gpu} (the first CUDA device) or {@code gpu:N}. A GPU libtorch does not see is never replaced
     * by the CPU: the readiness check is DOWN with the reason and trials are refused (retryable on another worker).
     */
    @WithDefault("cpu")
    String device();

    /** Local cache of models and datasets downloaded from object storage. */
    @WithDefault("${java.io.tmpdir}/vtc-worker-cache")
    Path cacheDir();

    /** Seconds between progress events of a running trial. */
    @WithDefault("5")
    int progressIntervalSeconds();

    /**
     * How often a running trial's heartbeat goes to the scheduler and its lease in object storage is renewed. The
     * lease holds for three of these after its last renewal: another worker that receives the trial waits that long
     * at most to learn whether its holder is alive. Well under the scheduler's {@code scheduler.lease.timeout}.
     */
    @WithDefault("10s")
    Duration heartbeatInterval();

    /** Start consuming trials at start-up (tests turn it off to drive the executor directly). */
    @WithDefault("true")
    boolean consume();

    /** Kafka session timeout: how fast a crashed worker's trials move to another worker. */
    @WithDefault("10000")
    int sessionTimeoutMs();

    /** Seconds a SIGTERM waits for the running trial to write its checkpoint. */
    @WithDefault("120")
    int shutdownGraceSeconds();

    /**
     * Attempts a trial may use when its request does not carry {@code last_allowed_attempt} (older messages): each
     * run that dies with its worker process counts as one, and a redelivered request whose attempts are used up is
     * failed with the reason instead of run again.
     */
    @WithDefault("3")
    int maxAttemptsPerTrial();

    /**
     * How long the trials consumer may fail to reach the broker (or be restarting after an error) before the worker
     * reports itself DOWN on {@code /q/health/live} and {@code /ready}; a dead consumer thread is DOWN at once.
     */
    @WithDefault("60s")
    Duration consumerUnhealthyAfter();

    /** Engine threads for intra-op parallelism; 0 = the engine's default (all cores). */
    @WithDefault("0")
    int threads();

    /** How object-storage operations wait out an outage ({@code worker.storage-retry.*}). */
    StorageRetry storageRetry();

    /**
     * A transient object-storage failure (see {@code StorageFailures}) is retried after {@code first-pause}, doubling
     * up to {@code max-pause}, for up to {@code give-up-after} from the first failure of that operation; only then does
     * it fail the attempt (as retryable).
     */
    interface StorageRetry {
        @WithDefault("500ms")
        Duration firstPause();

        @WithDefault("15s")
        Duration maxPause();

        @WithDefault("10m")
        Duration giveUpAfter();
    }
}
