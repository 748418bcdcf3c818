package ai.vtc.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded local stack: Kafka, S3, PostgreSQL, Prometheus when installed, and optionally the project's
 * services, all on the loopback address. {@link #start} returns once everything answers; {@link #close} stops
 * what was started, in reverse order.
 */
public final class Stack implements AutoCloseable {
    private final StackConfig config;
    private final PostgresServer postgres;
    private final List<Component> components;
    private final List<Component> started = new ArrayList<>();

    private Stack(StackConfig config, Map<String, Map<String, String>> serviceProperties) {
        this.config = config;
        this.postgres = new PostgresServer(config);
        List<Component> all = new ArrayList<>(List.of(new KafkaBroker(config), new S3Server(config), postgres));
        boolean wantPrometheus = !"off".equals(config.prometheus());
        var prometheus =
                wantPrometheus ? PrometheusServer.ifInstalled(config) : java.util.Optional.<PrometheusServer>empty();
        if ("on".equals(config.prometheus()) && prometheus.isEmpty()) {
            throw new StackException("Prometheus was requested but no 'prometheus' binary is on the PATH "
                    + "(install it with: apt-get install prometheus)");
        }
        prometheus.ifPresent(all::add);
        for (StackConfig.ServiceSpec spec : config.services()) {
            all.add(new ServiceProcess(config, spec, serviceProperties.getOrDefault(spec.name(), Map.of())));
        }
        this.components = List.copyOf(all);
    }

    /** Starts the stack; on any failure stops what had started and throws. */
    public static Stack start(StackConfig config, PrintStream progress) {
        return start(config, Map.of(), progress);
    }

    /**
     * @param serviceProperties extra system properties per service name (e.g. a smaller training budget in tests)
     */
    public static Stack start(
            StackConfig config, Map<String, Map<String, String>> serviceProperties, PrintStream progress) {
        Stack stack = new Stack(config, serviceProperties);
        stack.checkDataDir();
        stack.checkPorts();
        try {
            for (Component component : stack.components) {
                long t0 = System.nanoTime();
                progress.printf("starting %-16s ...%n", component.name());
                stack.started.add(component); // added first, so a half-started component is stopped too
                component.start();
                progress.printf("ready    %-16s (%.1f s)%n", component.name(), (System.nanoTime() - t0) / 1e9);
            }
        } catch (RuntimeException e) {
            progress.println("start-up failed; stopping what had started ...");
            stack.close();
            throw e;
        }
        stack.writeState();
        return stack;
    }

    /**
     * A handle on a stack that runs already (started by another class loader or process): its configuration and
     * {@link #createDatabase}; {@link #close} leaves it running.
     */
    public static Stack attach(StackConfig config) {
        return new Stack(config, Map.of());
    }

    /** Stops the components of a stack started by another process, found through the pid files. */
    public static void stopDetached(StackConfig config, PrintStream progress) {
        Stack stack = new Stack(config, Map.of());
        List<Component> reversed = new ArrayList<>(stack.components);
        Collections.reverse(reversed);
        for (Component component : reversed) {
            component.stop();
            progress.printf("stopped  %s%n", component.name());
        }
        try {
            Files.deleteIfExists(config.dataDir().resolve("stack.properties"));
        } catch (IOException ignored) {
            // only informational
        }
    }

    /**
     * Returns once {@code stack.properties} is gone. {@code stack down}, run from another process, removes it after
     * it has stopped every server (and {@link #close} removes it too), so a foreground {@code stack up} learns this
     * way that its servers were stopped: nothing else tells it.
     */
    public void awaitStopped(Duration poll) throws InterruptedException {
        while (Files.exists(config.dataDir().resolve(StackState.FILE))) {
            Thread.sleep(poll.toMillis());
        }
    }

    private void checkDataDir() {
        Path dir = config.dataDir();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-test", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StackException("data directory " + dir + " is not writable: " + e);
        }
    }

    private void checkPorts() {
        Map<Integer, String> seen = new HashMap<>();
        for (Component component : components) {
            for (int port : component.ports()) {
                String other = seen.put(port, component.name());
                if (other != null) {
                    throw new StackException(
                            "port " + port + " is configured for both " + other + " and " + component.name());
                }
                if (!Ports.isFree(config.host(), port)) {
                    throw new StackException("port " + port + " on " + config.host() + " (" + component.name()
                            + ") is already in use; stop what uses it, run 'stack down', or choose another port");
                }
            }
        }
    }

    /** Writes {@code stack.properties}: where everything runs, read back by {@code stack status} and {@code down}. */
    private void writeState() {
        StackState.save(config, started.stream().map(Component::name).toList());
    }

    public StackConfig config() {
        return config;
    }

    /** Creates a database (idempotent). */
    public void createDatabase(String name) {
        postgres.createDatabase(name);
    }

    /**
     * Stops one server of the stack ({@code kafka}, {@code s3}, {@code postgres} or a service by its name) and leaves
     * the others running, as a crash or a restart of that server would: tests inject faults with it. Its data stays,
     * so {@link #startServer} brings it back as it was.
     */
    public void stopServer(String name) {
        server(name).stop();
    }

    /** Starts a server that {@link #stopServer} stopped, on its ports and data; returns once it answers again. */
    public void startServer(String name) {
        server(name).start();
    }

    private Component server(String name) {
        return components.stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new StackException("this stack has no server named '" + name + "'; it has "
                        + components.stream().map(Component::name).toList()));
    }

    /** Lines saying what runs where. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Component component : started) {
            lines.add(component.describe());
        }
        lines.add("logs             " + config.logs());
        return lines;
    }

    /** Stops the stack and deletes all of its data (for tests): the data directory and the PostgreSQL home. */
    public synchronized void closeAndDelete() {
        close();
        deleteTree(postgres.home());
        deleteTree(config.dataDir());
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new StackException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        List<Component> reversed = new ArrayList<>(started);
        Collections.reverse(reversed);
        StackException failure = null;
        for (Component component : reversed) {
            try {
                component.stop();
            } catch (StackException e) {
                failure = failure == null ? e : failure;
            }
        }
        started.clear();
        try {
            Files.deleteIfExists(config.dataDir().resolve("stack.properties"));
        } catch (IOException ignored) {
            // informational file
        }
        if (failure != null) {
            throw failure;
        }
    }
}
