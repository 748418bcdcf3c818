package ai.vtc.stack;

import ai.vtc.contracts.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/** A real Apache Kafka broker in KRaft mode (combined broker + controller), run from Kafka's own jars. */
public final class KafkaBroker extends ProcessComponent {

    public KafkaBroker(StackConfig config) {
        super(config, "kafka", config.dataDir().resolve("kafka"), "TERM", Duration.ofSeconds(30));
    }

    @Override
    public List<Integer> ports() {
        return List.of(config.kafkaPort(), config.kafkaControllerPort());
    }

    @Override
    public void start() {
        Path properties = writeConfig();
        String classpath = Classpaths.of("kafka");
        Path logs = home.resolve("logs");
        if (!Files.exists(logs.resolve("meta.properties"))) {
            format(classpath, properties);
        }
        process = ChildProcess.start(config, name(), javaCommand(classpath, "kafka.Kafka", properties), Map.of(), home);
        try (Admin admin = admin()) {
            Readiness.await("Kafka on " + config.kafkaBootstrap(), process, Duration.ofSeconds(120), () -> {
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return null;
                } catch (Exception e) {
                    return "broker not answering: " + e.getMessage();
                }
            });
            createTopics(admin);
        }
    }

    private void format(String classpath, Path properties) {
        List<String> command = javaCommand(
                classpath,
                "kafka.tools.StorageTool",
                null,
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                properties.toString());
        ChildProcess formatter = ChildProcess.start(config, "kafka-format", command, Map.of(), home);
        formatter.awaitSuccess(Duration.ofSeconds(60));
        if (!Files.exists(home.resolve("logs").resolve("meta.properties"))) {
            throw new StackException(
                    "formatting Kafka storage failed; see " + formatter.logFile() + ":\n" + formatter.tail(20));
        }
    }

    private List<String> javaCommand(String classpath, String main, Path properties, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Classpaths.java(),
                "-Xms128m",
                "-Xmx512m",
                "-XX:+UseG1GC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + home.resolve("log4j2.properties"),
                "-cp",
                classpath,
                main));
        if (properties != null) {
            command.add(properties.toString());
        }
        command.addAll(List.of(args));
        return command;
    }

    private Path writeConfig() {
        String host = config.host();
        String properties = String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + host + ":" + config.kafkaControllerPort(),
                "listeners=PLAINTEXT://" + host + ":" + config.kafkaPort() + ",CONTROLLER://" + host + ":"
                        + config.kafkaControllerPort(),
                "advertised.listeners=PLAINTEXT://" + host + ":" + config.kafkaPort(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + home.resolve("logs"),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=8",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=-1",
                "log.segment.bytes=67108864",
                "");
        String log4j = String.join(
                "\n",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = OUT",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.out.ref = OUT",
                "logger.state.name = state.change.logger",
                "logger.state.level = WARN",
                "");
        writeFile("log4j2.properties", log4j);
        return writeFile("server.properties", properties);
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        return Admin.create(props);
    }

    /** The project's topics; existing topics are kept, a {@code trials} topic with too few partitions grows. */
    private void createTopics(Admin admin) {
        Map<String, Integer> wanted = Map.of(
                Topics.TRIALS, config.trialsPartitions(),
                Topics.TRIAL_EVENTS, config.eventPartitions(),
                Topics.PREDICTIONS, config.eventPartitions(),
                Topics.EVALUATIONS, config.eventPartitions(),
                Topics.TRIAL_CONTROL, 1,
                Topics.TRIALS_DLQ, 1);
        try {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.entrySet().stream()
                    .filter(e -> !existing.contains(e.getKey()))
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            int trials = admin.describeTopics(List.of(Topics.TRIALS))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(Topics.TRIALS)
                    .partitions()
                    .size();
            if (trials < config.trialsPartitions()) {
                admin.createPartitions(Map.of(
                                Topics.TRIALS,
                                org.apache.kafka.clients.admin.NewPartitions.increaseTo(config.trialsPartitions())))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new StackException(
                    "cannot create the project's topics on " + config.kafkaBootstrap() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while creating topics");
        }
    }

    @Override
    public String describe() {
        return "Kafka (KRaft)    " + config.kafkaBootstrap() + "   topics: trials x" + config.trialsPartitions()
                + ", trial-events, predictions, evaluations, trial-control, trials.dlq";
    }
}
