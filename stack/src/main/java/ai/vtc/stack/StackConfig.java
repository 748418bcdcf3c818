package ai.vtc.stack;

import java.nio.file.Path;
import java.util.List;

/**
 * Where and how the embedded stack runs. Every port is on {@link #host}; {@link #defaults(Path)} gives the
 * ports the services' production profiles expect.
 *
 * @param dataDir everything the stack writes: data, logs ({@code logs/}), pid files ({@code run/})
 * @param kafkaPort the broker's PLAINTEXT listener
 * @param kafkaControllerPort the KRaft controller listener
 * @param s3Port the S3 API (S3Proxy)
 * @param postgresPort PostgreSQL
 * @param prometheusPort Prometheus' web port (only used when Prometheus runs)
 * @param trialsPartitions partitions of the {@code trials} topic: at least the largest worker pool
 * @param eventPartitions partitions of every other topic
 * @param prometheus start Prometheus: {@code auto} (when the binary is found), {@code on}, {@code off}
 * @param services the Quarkus services to start from {@link #repoRoot}; empty for infrastructure only
 */
public record StackConfig(
        Path dataDir,
        String host,
        int kafkaPort,
        int kafkaControllerPort,
        int s3Port,
        int postgresPort,
        int prometheusPort,
        int trialsPartitions,
        int eventPartitions,
        S3Credentials s3,
        PostgresCredentials postgres,
        List<String> databases,
        String prometheus,
        Path repoRoot,
        List<ServiceSpec> services) {

    public static final String HOST = "127.0.0.1";

    /** The S3 identity, its secret and the project's bucket. */
    public record S3Credentials(String accessKey, String secretKey, String bucket) {}

    /** The PostgreSQL role the services log in as. */
    public record PostgresCredentials(String user, String password) {}

    /**
     * A Quarkus service of the project: its name, HTTP port and (optional) database. A replica is named after its
     * module with a number ({@code gpu-worker-2} runs {@code gpu-worker/}).
     */
    public record ServiceSpec(String name, int port, String database) {
        /** The module folder the service is built in. */
        public String module() {
            return name.matches(".*-\\d+") ? name.replaceFirst("-\\d+$", "") : name;
        }
    }

    /** The API token of a stack: the scheduler's and the dataset service's (the sweep command line's default {@code SWEEP_TOKEN}). */
    public static final String SCHEDULER_API_TOKEN = "vtc-local-token";

    /** The four services with the ports and databases their {@code %prod} profiles use. */
    public static final List<ServiceSpec> PROJECT_SERVICES = List.of(
            new ServiceSpec("scheduler", 18081, "scheduler"),
            new ServiceSpec("gpu-worker", 18082, null),
            new ServiceSpec("evaluator", 18083, "evaluator"),
            new ServiceSpec("dataset-service", 18084, "datasets"));

    /** The defaults: the ports the services' {@code %prod} profiles expect, Prometheus when installed. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    public static StackConfig defaults(Path dataDir) {
        return builder(dataDir).build();
    }

    /** Builds a {@link StackConfig} from the defaults. */
    public static final class Builder {
        private final Path dataDir;
        private int kafkaPort = 19092;
        private int kafkaControllerPort = 19093;
        private int s3Port = 19000;
        private int postgresPort = 15432;
        private int prometheusPort = 19090;
        private int trialsPartitions = 8;
        private int eventPartitions = 4;
        private String prometheus = "auto";
        private Path repoRoot = Path.of("").toAbsolutePath();
        private List<ServiceSpec> services = List.of();

        private Builder(Path dataDir) {
            this.dataDir = dataDir.toAbsolutePath().normalize();
        }

        public Builder ports(int kafka, int kafkaController, int s3, int postgres, int prometheus) {
            this.kafkaPort = kafka;
            this.kafkaControllerPort = kafkaController;
            this.s3Port = s3;
            this.postgresPort = postgres;
            this.prometheusPort = prometheus;
            return this;
        }

        /** Free ports chosen by the OS, for tests that run beside a stack on the default ports. */
        public Builder randomPorts() {
            return ports(Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free());
        }

        public Builder partitions(int trials, int events) {
            this.trialsPartitions = trials;
            this.eventPartitions = events;
            return this;
        }

        public Builder prometheus(String mode) {
            this.prometheus = mode;
            return this;
        }

        public Builder services(Path root, List<ServiceSpec> specs) {
            this.repoRoot = root.toAbsolutePath().normalize();
            this.services = List.copyOf(specs);
            return this;
        }

        public StackConfig build() {
            return new StackConfig(
                    dataDir,
                    HOST,
                    kafkaPort,
                    kafkaControllerPort,
                    s3Port,
                    postgresPort,
                    prometheusPort,
                    trialsPartitions,
                    eventPartitions,
                    new S3Credentials("vtc-access", "vtc-secret-key", "vtc"),
                    new PostgresCredentials("vtc", "vtc"),
                    List.of("scheduler", "evaluator", "datasets"),
                    prometheus,
                    repoRoot,
                    services);
        }
    }

    public String kafkaBootstrap() {
        return host + ":" + kafkaPort;
    }

    public String s3Endpoint() {
        return "http://" + host + ":" + s3Port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + postgresPort + "/" + database;
    }

    public Path logs() {
        return dataDir.resolve("logs");
    }

    public Path run() {
        return dataDir.resolve("run");
    }
}
