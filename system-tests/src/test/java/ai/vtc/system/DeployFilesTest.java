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

    @Test
    void kubernetesManifestsBuildWithKustomize() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed (apt-get install kubernetes-client)");
        Result result =
                run(List.of("kubectl", "kustomize", ROOT.resolve("deploy/k8s").toString()));
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("kind: ScaledObject"), result.output());
    }

    @Test
    void kubernetesManifestsScheduleTheWorkerOnGpusAndScaleItOnTrialsLag() throws IOException {
        Path k8s = ROOT.resolve("deploy/k8s");
        JsonNode kustomization = YAML.readTree(k8s.resolve("kustomization.yaml").toFile());
        for (JsonNode resource : kustomization.get("resources")) {
            assertTrue(Files.isRegularFile(k8s.resolve(resource.asText())), "listed resource exists: " + resource);
        }
        JsonNode worker = YAML.readTree(k8s.resolve("gpu-worker.yaml").toFile());
        JsonNode container = worker.at("/spec/template/spec/containers/0");
        assertEquals("1", container.at("/resources/limits/nvidia.com~1gpu").asText());
        assertEquals(
                "/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertTrue(worker.at("/spec/template/spec/tolerations/0/key").asText().contains("nvidia.com/gpu"));
        JsonNode scaler =
                YAML.readTree(k8s.resolve("gpu-worker-autoscaling.yaml").toFile());
        JsonNode trigger = scaler.at("/spec/triggers/0");
        assertEquals("kafka", trigger.path("type").asText());
        assertEquals("trials", trigger.at("/metadata/topic").asText());
        assertEquals("gpu-workers", trigger.at("/metadata/consumerGroup").asText());
        assertTrue(scaler.at("/spec/maxReplicaCount").asInt() <= 8, "at most one worker per 'trials' partition");
        for (String service : List.of("scheduler", "evaluator", "dataset-service")) {
            JsonNode deployment = YAML.readTree(k8s.resolve(service + ".yaml").toFile());
            assertEquals(
                    "/q/health/ready",
                    deployment
                            .at("/spec/template/spec/containers/0/readinessProbe/httpGet/path")
                            .asText(),
                    service);
        }
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
