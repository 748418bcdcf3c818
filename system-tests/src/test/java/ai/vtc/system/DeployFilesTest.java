package ai.vtc.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.vtc.stack.PrometheusServer;
import ai.vtc.stack.StackConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** The credentials a compose deployment must be given; none has a default. */
    static final Map<String, String> COMPOSE_CREDENTIALS = Map.of(
            "VTC_S3_ACCESS_KEY", "a-key",
            "VTC_S3_SECRET_KEY", "a-secret",
            "POSTGRES_PASSWORD", "a-password",
            "VTC_API_TOKEN", "a-token",
            "GRAFANA_ADMIN_PASSWORD", "another-password");

    @Test
    void dockerComposeConfigAcceptsTheComposeFileOnlyWithItsCredentials() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (apt-get install docker-compose)");
        List<String> config = List.of(
                "docker-compose", "-f", ROOT.resolve("docker-compose.yml").toString(), "config", "-q");
        Result result = run(config, COMPOSE_CREDENTIALS);
        assertEquals(0, result.exit(), result.output());
        for (String credential : COMPOSE_CREDENTIALS.keySet()) {
            Map<String, String> lacking = new HashMap<>(COMPOSE_CREDENTIALS);
            lacking.remove(credential);
            Result refused = run(config, lacking);
            assertTrue(refused.exit() != 0, "compose starts without " + credential);
            assertTrue(refused.output().contains("set " + credential), refused.output());
        }
    }

    /**
     * Nothing is published on all interfaces (only 127.0.0.1, and Kafka and PostgreSQL not at all), and every
     * credential comes from a required variable instead of a well-known default.
     */
    @Test
    void composePublishesOnLoopbackOnlyAndHoldsNoCredentials() throws IOException {
        JsonNode services =
                YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).get("services");
        for (String unpublished : List.of("kafka", "postgres")) {
            assertTrue(services.get(unpublished).path("ports").isMissingNode(), unpublished + " publishes no port");
        }
        services.fields().forEachRemaining(service -> {
            for (JsonNode port : service.getValue().path("ports")) {
                assertTrue(port.asText().startsWith("127.0.0.1:"), service.getKey() + " publishes " + port);
            }
            service.getValue().path("environment").fields().forEachRemaining(variable -> {
                if (variable.getKey().matches(".*(PASSWORD|SECRET|TOKEN|ACCESS_KEY|ROOT_USER).*")) {
                    assertTrue(
                            variable.getValue().asText().matches("\\$\\{[A-Z0-9_]+:\\?.+}"),
                            service.getKey() + " " + variable.getKey() + " = " + variable.getValue());
                }
            });
        });
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        for (String wellKnown : List.of("vtc-secret-key", "vtc-local-token", "PASSWORD: vtc")) {
            assertFalse(compose.contains(wellKnown), "compose holds " + wellKnown);
        }
    }

    @Test
    void composeFileRunsEveryServerAndService() throws IOException {
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
        JsonNode datasets = YAML.readTree(k8s.resolve("dataset-service.yaml").toFile());
        boolean sharesTheSchedulersToken = false;
        for (JsonNode variable : datasets.at("/spec/template/spec/containers/0/env")) {
            sharesTheSchedulersToken |= variable.path("name").asText().equals("DATASETS_API_TOKEN")
                    && variable.at("/valueFrom/secretKeyRef/key").asText().equals("SCHEDULER_API_TOKEN");
        }
        assertTrue(sharesTheSchedulersToken, "the dataset service takes the scheduler's token");
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

    @Test
    void grafanaProvisioningAndDashboardHoldTogether() throws IOException {
        Path grafana = ROOT.resolve("deploy/grafana");
        JsonNode datasource = YAML.readTree(grafana.resolve("provisioning/datasources/prometheus.yml")
                        .toFile())
                .at("/datasources/0");
        assertEquals("prometheus", datasource.path("type").asText());
        JsonNode provider = YAML.readTree(
                        grafana.resolve("provisioning/dashboards/vtc.yml").toFile())
                .at("/providers/0");
        assertEquals("file", provider.path("type").asText());
        JsonNode dashboard = new ObjectMapper()
                .readTree(grafana.resolve("dashboards/vtc-sweeps.json").toFile());
        assertTrue(dashboard.path("uid").asText().length() > 0);
        Set<String> variables = new TreeSet<>();
        dashboard
                .at("/templating/list")
                .forEach(v -> variables.add(v.path("name").asText()));
        assertEquals(Set.of("sweep", "mode"), variables);
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            String title = panel.path("title").asText();
            assertTrue(ids.add(panel.path("id").asInt()), "unique panel id: " + title);
            assertEquals(
                    datasource.path("uid").asText(), panel.at("/datasource/uid").asText(), title);
            for (String key : List.of("x", "y", "w", "h")) {
                assertTrue(panel.at("/gridPos/" + key).isInt(), title + " gridPos." + key);
            }
            assertTrue(panel.path("targets").size() > 0, title + " has queries");
            for (JsonNode target : panel.get("targets")) {
                assertFalse(target.path("expr").asText().isBlank(), title + " " + target);
            }
        }
        for (String wanted : List.of(
                "Accuracy by factor and stage, per mode",
                "Sorted vs unsorted",
                "Accuracy change vs the uncompressed baseline",
                "Accuracy per answer type",
                "Trials by state",
                "Worker throughput",
                "Step time",
                "Checkpoint sizes")) {
            assertTrue(dashboard.toString().contains("\"" + wanted + "\""), "panel " + wanted);
        }
    }

    @Test
    void everyDashboardQueryIsValidPromQl() throws Exception {
        StackConfig config = StackConfig.builder(Files.createTempDirectory("promql-check"))
                .randomPorts()
                .prometheus("on")
                .build();
        var installed = PrometheusServer.ifInstalled(config);
        assumeTrue(installed.isPresent(), "prometheus is not installed (apt-get install prometheus)");
        PrometheusServer prometheus = installed.get();
        prometheus.start();
        try {
            JsonNode dashboard = new ObjectMapper()
                    .readTree(ROOT.resolve("deploy/grafana/dashboards/vtc-sweeps.json")
                            .toFile());
            HttpClient http = HttpClient.newHttpClient();
            for (JsonNode panel : dashboard.get("panels")) {
                for (JsonNode target : panel.get("targets")) {
                    String expr =
                            target.get("expr").asText().replace("$sweep", ".*").replace("$mode", ".*");
                    String url =
                            prometheus.url() + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8);
                    String body = http.send(
                                    HttpRequest.newBuilder(URI.create(url)).build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
                    assertEquals(
                            "success",
                            new ObjectMapper().readTree(body).path("status").asText(),
                            panel.get("title") + ": " + expr + " -> " + body);
                }
            }
        } finally {
            prometheus.stop();
        }
    }

    record Result(int exit, String output) {}

    static Result run(List<String> command) throws Exception {
        return run(command, Map.of());
    }

    /** Runs {@code command} with {@code environment} added to this process's own. */
    static Result run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
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
