package ai.vtc.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Prometheus (Debian's {@code prometheus} package) scraping the services' {@code /q/metrics}. */
public final class PrometheusServer extends ProcessComponent {
    private final Path binary;

    private PrometheusServer(StackConfig config, Path binary) {
        super(config, "prometheus", config.dataDir().resolve("prometheus"), "TERM", Duration.ofSeconds(15));
        this.binary = binary;
    }

    /** A Prometheus component when the binary is on the PATH (or {@code /usr/bin}). */
    public static Optional<PrometheusServer> ifInstalled(StackConfig config) {
        return findBinary().map(binary -> new PrometheusServer(config, binary));
    }

    static Optional<Path> findBinary() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "prometheus"))) {
                return Optional.of(Path.of(dir, "prometheus"));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Integer> ports() {
        return List.of(config.prometheusPort());
    }

    @Override
    public void start() {
        Path configFile = writeConfig();
        process = ChildProcess.start(
                config,
                name(),
                List.of(
                        binary.toString(),
                        "--config.file=" + configFile,
                        "--storage.tsdb.path=" + home.resolve("data"),
                        "--web.listen-address=" + config.host() + ":" + config.prometheusPort(),
                        "--web.enable-lifecycle"),
                Map.of(),
                home);
        Readiness.await(
                "Prometheus on " + url(), process, Duration.ofSeconds(60), () -> Http.problemWith(url() + "/-/ready"));
    }

    /** Scrapes every project service on its port; services that do not run show as down, nothing more. */
    private Path writeConfig() {
        String targets = StackConfig.PROJECT_SERVICES.stream()
                .map(s -> "          - " + config.host() + ":" + servicePort(s))
                .collect(Collectors.joining("\n"));
        String yaml = String.join(
                "\n",
                "global:",
                "  scrape_interval: 5s",
                "  evaluation_interval: 5s",
                "scrape_configs:",
                "  - job_name: vtc-services",
                "    metrics_path: /q/metrics",
                "    static_configs:",
                "      - targets:",
                targets,
                "");
        return writeFile("prometheus.yml", yaml);
    }

    private int servicePort(StackConfig.ServiceSpec spec) {
        return config.services().stream()
                .filter(s -> s.name().equals(spec.name()))
                .findFirst()
                .orElse(spec)
                .port();
    }

    public String url() {
        return "http://" + config.host() + ":" + config.prometheusPort();
    }

    @Override
    public String describe() {
        return "Prometheus       " + url() + "   scraping the services' /q/metrics every 5 s";
    }
}
