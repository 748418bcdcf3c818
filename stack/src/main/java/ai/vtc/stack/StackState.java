package ai.vtc.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code <data dir>/stack.properties}: the ports and services of a running stack, so that {@code stack status} and
 * {@code stack down} find it without repeating the options of {@code stack up}.
 */
public final class StackState {
    static final String FILE = "stack.properties";

    private StackState() {}

    static void save(StackConfig config, List<String> components) {
        Properties props = new Properties();
        props.putAll(StackProperties.common(config));
        props.setProperty("kafka.port", Integer.toString(config.kafkaPort()));
        props.setProperty("kafka.controller.port", Integer.toString(config.kafkaControllerPort()));
        props.setProperty("s3.port", Integer.toString(config.s3Port()));
        props.setProperty("postgres.port", Integer.toString(config.postgresPort()));
        props.setProperty("postgres.url", config.jdbcUrl(""));
        props.setProperty("prometheus.port", Integer.toString(config.prometheusPort()));
        props.setProperty("repo.root", config.repoRoot().toString());
        List<String> services = new ArrayList<>();
        for (StackConfig.ServiceSpec s : config.services()) {
            services.add(s.name() + ":" + s.port() + ":" + (s.database() == null ? "" : s.database()));
        }
        props.setProperty("services", String.join(",", services));
        props.setProperty("components", String.join(",", components));
        try (Writer out = Files.newBufferedWriter(config.dataDir().resolve(FILE))) {
            props.store(out, "the embedded stack; written by 'stack up', removed by 'stack down'");
        } catch (IOException e) {
            throw new StackException("cannot write " + config.dataDir().resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** The configuration a previous {@code stack up} on {@code dataDir} used, if it left its state file. */
    public static Optional<StackConfig> load(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new StackException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<StackConfig.ServiceSpec> services = new ArrayList<>();
        for (String entry : props.getProperty("services", "").split(",")) {
            if (!entry.isBlank()) {
                String[] parts = entry.split(":", -1);
                services.add(new StackConfig.ServiceSpec(
                        parts[0], Integer.parseInt(parts[1]), parts[2].isEmpty() ? null : parts[2]));
            }
        }
        return Optional.of(StackConfig.builder(dataDir)
                .ports(
                        Integer.parseInt(props.getProperty("kafka.port")),
                        Integer.parseInt(props.getProperty("kafka.controller.port")),
                        Integer.parseInt(props.getProperty("s3.port")),
                        Integer.parseInt(props.getProperty("postgres.port")),
                        Integer.parseInt(props.getProperty("prometheus.port")))
                .services(Path.of(props.getProperty("repo.root")), services)
                .build());
    }
}
