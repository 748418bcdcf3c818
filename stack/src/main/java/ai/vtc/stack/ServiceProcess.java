package ai.vtc.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One of the project's Quarkus services, run from its {@code target/quarkus-app/quarkus-run.jar}. */
public final class ServiceProcess extends ProcessComponent {
    private final StackConfig.ServiceSpec spec;
    private final Map<String, String> extraProperties;

    public ServiceProcess(StackConfig config, StackConfig.ServiceSpec spec, Map<String, String> extraProperties) {
        super(
                config,
                spec.name(),
                config.dataDir().resolve("services").resolve(spec.name()),
                "TERM",
                Duration.ofSeconds(30));
        this.spec = spec;
        this.extraProperties = extraProperties;
    }

    @Override
    protected String processMarker() {
        return config.dataDir().toString();
    }

    @Override
    public List<Integer> ports() {
        return List.of(spec.port());
    }

    public Path jar() {
        return config.repoRoot().resolve(spec.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    @Override
    public void start() {
        Path jar = jar();
        if (!Files.isRegularFile(jar)) {
            throw new StackException(
                    spec.name() + " is not built: " + jar + " is missing (run ./mvnw -DskipTests install)");
        }
        List<String> command = new ArrayList<>(List.of(Classpaths.java(), "-Xms64m", "-XX:+UseSerialGC"));
        if (!spec.module().equals("gpu-worker")) {
            command.add("-Xmx384m");
        }
        command.add("-Dvtc.stack.dir=" + config.dataDir());
        command.add("-Dai.djl.offline=true"); // DJL never downloads: the PyTorch native library comes from Maven
        StackProperties.forService(config, spec).forEach((k, v) -> command.add("-D" + k + "=" + v));
        extraProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(home);
        } catch (java.io.IOException e) {
            throw new StackException("cannot create " + home + ": " + e.getMessage(), e);
        }
        // libtorch's OpenMP threads sleep when idle instead of spinning: several processes share the cores here
        process = ChildProcess.start(config, name(), command, Map.of("OMP_WAIT_POLICY", "PASSIVE"), home);
        Readiness.await(
                spec.name() + " on " + url(),
                process,
                Duration.ofSeconds(180),
                () -> Http.problemWith(url() + "/q/health/ready"));
    }

    /** kill -9 of the service, as a crash would end it: no shutdown hook runs (fault tests). */
    public void kill() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    public String url() {
        return "http://" + config.host() + ":" + spec.port();
    }

    @Override
    public String describe() {
        return String.format("%-16s %s   health %s/q/health", spec.name(), url(), url());
    }
}
