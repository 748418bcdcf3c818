package ai.vtc.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The deployment files parse with the real tools where installed (.ci/run installs them from Debian) and hold what
 * the system needs.
 */
class DeployFilesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void dockerComposeConfigAcceptsTheComposeFile() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (apt-get install docker-compose)");
        Result result = run(List.of(
                "docker-compose", "-f", ROOT.resolve("docker-compose.yml").toString(), "config", "-q"));
        assertEquals(0, result.exit(), result.output());
    }

    @Test
    void composeFileRunsEveryServerAndServiceWithAGpuForTheWorker() throws IOException {
        JsonNode compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
        Set<String> services = new TreeSet<>();
        compose.get("services").fieldNames().forEachRemaining(services::add);
        for (String expected : List.of(
                "kafka",
                "minio",
                "postgres",
                "prometheus",
                "grafana",
                "scheduler",
                "gpu-worker",
                "evaluator",
                "dataset-service")) {
            assertTrue(services.contains(expected), "compose runs " + expected + ": " + services);
        }
        JsonNode devices = compose.at("/services/gpu-worker/deploy/resources/reservations/devices/0");
        assertEquals("nvidia", devices.path("driver").asText());
        assertEquals("gpu", devices.path("capabilities").get(0).asText());
    }

    @Test
    void promtoolAcceptsThePrometheusConfig() throws Exception {
        assumeTrue(onPath("promtool"), "promtool is not installed (apt-get install prometheus)");
        Result result = run(List.of(
                "promtool",
                "check",
                "config",
                ROOT.resolve("deploy/prometheus/prometheus.yml").toString()));
        assertEquals(0, result.exit(), result.output());
    }

    record Result(int exit, String output) {}

    static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "finished: " + command);
        return new Result(process.exitValue(), output);
    }

    static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }
}
