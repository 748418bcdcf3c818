package ai.vtc.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar stack/target/stack.jar up|down|status}: the embedded local stack from the command line. */
@Command(
        name = "stack",
        mixinStandardHelpOptions = true,
        description = "Runs the embedded local stack: Kafka (KRaft), S3 (S3Proxy), PostgreSQL, Prometheus when "
                + "installed, and the project's services, on 127.0.0.1.",
        subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class})
public final class StackCommand {
    /** How often a foreground {@code stack up} looks whether {@code stack down} has stopped its servers. */
    private static final Duration STATE_POLL = Duration.ofMillis(250);

    static class Common {
        @Option(
                names = "--data-dir",
                defaultValue = ".stack",
                description = "Where data, logs (logs/) and pid files (run/) go. Default: ${DEFAULT-VALUE}")
        Path dataDir;
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Starts the stack and waits until it answers.")
    static final class Up implements Callable<Integer> {
        @CommandLine.Mixin
        Common common;

        @Option(names = "--kafka-port", defaultValue = "19092", description = "Default: ${DEFAULT-VALUE}")
        int kafkaPort;

        @Option(names = "--kafka-controller-port", defaultValue = "19093", description = "Default: ${DEFAULT-VALUE}")
        int kafkaControllerPort;

        @Option(names = "--s3-port", defaultValue = "19000", description = "Default: ${DEFAULT-VALUE}")
        int s3Port;

        @Option(names = "--postgres-port", defaultValue = "15432", description = "Default: ${DEFAULT-VALUE}")
        int postgresPort;

        @Option(names = "--prometheus-port", defaultValue = "19090", description = "Default: ${DEFAULT-VALUE}")
        int prometheusPort;

        @Option(names = "--prometheus", defaultValue = "auto", description = "auto (when installed), on, off")
        String prometheus;

        @Option(names = "--trials-partitions", defaultValue = "8", description = "Partitions of 'trials'; >= workers")
        int trialsPartitions;

        @Option(
                names = "--services",
                defaultValue = "none",
                split = ",",
                description = "Services to start from <repo>/<name>/target/quarkus-app: all, none, or a list of "
                        + "scheduler,gpu-worker,evaluator,dataset-service. Default: ${DEFAULT-VALUE}")
        List<String> services;

        @Option(
                names = "--workers",
                defaultValue = "1",
                description = "gpu-worker processes (with gpu-worker in --services): the extra ones are gpu-worker-2 .."
                        + " on the ports after 18084, each with <cores>/N engine threads. Default: ${DEFAULT-VALUE}")
        int workers;

        @Option(names = "--service-port", description = "Override a service port, e.g. scheduler=28081")
        Map<String, Integer> servicePorts = new LinkedHashMap<>();

        @Option(
                names = "--service-property",
                description = "A system property for a service: NAME:KEY=VALUE, e.g. gpu-worker:worker.device=cpu")
        List<String> serviceProperties = new ArrayList<>();

        @Option(
                names = "--repo",
                defaultValue = ".",
                description = "The repository root (where the services are built)")
        Path repo;

        @Option(
                names = "--detach",
                description = "Return once ready and leave the stack running ('stack down' stops it)")
        boolean detach;

        @Override
        public Integer call() throws InterruptedException {
            StackConfig config = StackConfig.builder(common.dataDir)
                    .ports(kafkaPort, kafkaControllerPort, s3Port, postgresPort, prometheusPort)
                    .partitions(trialsPartitions, 4)
                    .prometheus(prometheus)
                    .services(repo, serviceSpecs())
                    .build();
            Optional<StackConfig> previous = StackState.load(config.dataDir());
            if (previous.isPresent() && anyRunning(previous.get())) {
                System.err.println("a stack already runs on " + config.dataDir() + "; run 'stack down' first");
                return 2;
            }
            Stack stack;
            try {
                stack = Stack.start(config, withWorkerThreads(parseServiceProperties(), config), System.out);
            } catch (StackException e) {
                System.err.println("stack up failed: " + e.getMessage());
                return 1;
            }
            System.out.println();
            stack.describe().forEach(line -> System.out.println("  " + line));
            System.out.println();
            if (detach) {
                System.out.println("ready (detached); stop it with: java -jar stack/target/stack.jar down --data-dir "
                        + config.dataDir());
                return 0;
            }
            System.out.println("ready; press Ctrl-C (or run 'stack down') to stop everything");
            AtomicBoolean stopping = new AtomicBoolean();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (stopping.compareAndSet(false, true)) {
                    System.out.println("stopping the stack ...");
                    stack.close();
                    System.out.println("stopped");
                }
            }));
            stack.awaitStopped(STATE_POLL);
            if (stopping.compareAndSet(false, true)) { // 'stack down' stopped the servers; Ctrl-C did not
                stack.close();
                System.out.println("stopped by 'stack down'");
            }
            return 0;
        }

        private List<StackConfig.ServiceSpec> serviceSpecs() {
            List<StackConfig.ServiceSpec> specs = new ArrayList<>();
            boolean all = services.contains("all");
            for (StackConfig.ServiceSpec spec : StackConfig.PROJECT_SERVICES) {
                if (all || services.contains(spec.name())) {
                    int port = servicePorts.getOrDefault(spec.name(), spec.port());
                    specs.add(new StackConfig.ServiceSpec(spec.name(), port, spec.database()));
                }
            }
            boolean withWorker = specs.stream().anyMatch(s -> s.name().equals("gpu-worker"));
            if (workers < 1 || (workers > 1 && !withWorker)) {
                throw new CommandLine.ParameterException(
                        new CommandLine(this),
                        "--workers must be >= 1, and more than 1 only with the gpu-worker service");
            }
            for (int i = 2; i <= workers; i++) {
                String name = "gpu-worker-" + i;
                specs.add(new StackConfig.ServiceSpec(name, servicePorts.getOrDefault(name, 18083 + i), null));
            }
            for (String name : services) {
                boolean known = name.equals("all")
                        || name.equals("none")
                        || StackConfig.PROJECT_SERVICES.stream()
                                .anyMatch(s -> s.name().equals(name));
                if (!known) {
                    throw new CommandLine.ParameterException(
                            new CommandLine(this), "--services: unknown service '" + name + "'");
                }
            }
            return specs;
        }

        /** Several workers share the cores: each gets its part as engine threads unless set explicitly. */
        private Map<String, Map<String, String>> withWorkerThreads(
                Map<String, Map<String, String>> properties, StackConfig config) {
            if (workers > 1) {
                String threads =
                        Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors() / workers));
                for (StackConfig.ServiceSpec spec : config.services()) {
                    if (spec.module().equals("gpu-worker")) {
                        Map<String, String> own = new LinkedHashMap<>(properties.getOrDefault("gpu-worker", Map.of()));
                        own.putAll(properties.getOrDefault(spec.name(), Map.of()));
                        own.putIfAbsent("worker.threads", threads);
                        properties.put(spec.name(), own);
                    }
                }
            }
            return properties;
        }

        private Map<String, Map<String, String>> parseServiceProperties() {
            Map<String, Map<String, String>> result = new LinkedHashMap<>();
            for (String entry : serviceProperties) {
                int colon = entry.indexOf(':');
                int eq = entry.indexOf('=');
                if (colon < 1 || eq < colon + 2) {
                    throw new CommandLine.ParameterException(
                            new CommandLine(this), "--service-property must be NAME:KEY=VALUE, got '" + entry + "'");
                }
                result.computeIfAbsent(entry.substring(0, colon), k -> new LinkedHashMap<>())
                        .put(entry.substring(colon + 1, eq), entry.substring(eq + 1));
            }
            return result;
        }
    }

    @Command(
            name = "down",
            mixinStandardHelpOptions = true,
            description = "Stops the stack of a data directory (a foreground 'stack up' then exits).")
    static final class Down implements Callable<Integer> {
        @CommandLine.Mixin
        Common common;

        @Override
        public Integer call() {
            Path dataDir = common.dataDir.toAbsolutePath().normalize();
            StackConfig config = StackState.load(dataDir)
                    .orElseGet(() -> StackConfig.builder(dataDir)
                            .services(Path.of("."), StackConfig.PROJECT_SERVICES)
                            .build());
            Stack.stopDetached(config, System.out);
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Says what runs; exit code 3 if something is down.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Mixin
        Common common;

        @Override
        public Integer call() {
            Path dataDir = common.dataDir.toAbsolutePath().normalize();
            Optional<StackConfig> loaded = StackState.load(dataDir);
            if (loaded.isEmpty()) {
                System.out.println("no stack runs on " + dataDir + " (no " + StackState.FILE + ")");
                return 3;
            }
            StackConfig config = loaded.get();
            boolean allUp = true;
            for (var entry : StackStatus.probe(config).entrySet()) {
                System.out.printf("%-16s %s%n", entry.getKey(), entry.getValue());
                allUp &= entry.getValue().startsWith("up");
            }
            return allUp ? 0 : 3;
        }
    }

    static boolean anyRunning(StackConfig config) {
        return StackStatus.probe(config).values().stream().anyMatch(s -> s.startsWith("up"));
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StackCommand()).execute(args));
    }
}
