package ai.vtc.system;

import static ai.vtc.system.DeployFilesTest.COMPOSE_CREDENTIALS;
import static ai.vtc.system.DeployFilesTest.ROOT;
import static ai.vtc.system.DeployFilesTest.onPath;
import static ai.vtc.system.DeployFilesTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The GPU deployment as shipped: the CUDA worker image, compose's {@code gpu} profile with one worker per GPU, and the
 * Kubernetes Deployment with one GPU per pod. Compose is checked on its resolved form ({@code docker-compose config}),
 * so YAML anchors and merges count as compose reads them.
 */
class GpuDeployFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path DOCKER = ROOT.resolve("gpu-worker/src/main/docker");

    private static JsonNode resolvedCompose(String... profile) throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (apt-get install docker-compose)");
        List<String> command = new ArrayList<>(List.of(
                "docker-compose", "-f", ROOT.resolve("docker-compose.yml").toString()));
        command.addAll(List.of(profile));
        command.add("config");
        DeployFilesTest.Result result = run(command, COMPOSE_CREDENTIALS);
        assertEquals(0, result.exit(), result.output());
        return YAML.readTree(result.output()).get("services");
    }

    @Test
    void withoutAProfileComposeRunsOneCpuWorkerThatReservesNoGpu() throws Exception {
        JsonNode services = resolvedCompose();
        JsonNode worker = services.get("gpu-worker");
        assertEquals("cpu", worker.at("/environment/WORKER_DEVICE").asText());
        assertEquals(
                "src/main/docker/Dockerfile.jvm", worker.at("/build/dockerfile").asText());
        assertTrue(worker.at("/deploy/resources/reservations/devices").isMissingNode(), worker.toString());
        assertTrue(worker.path("profiles").isMissingNode(), "the CPU worker starts without a profile");
        // docker-compose 1.x's config lists every profile's services; up starts those without a profile only
        services.fields().forEachRemaining(service -> {
            if (service.getKey().matches("gpu-worker-[0-9]+")) {
                assertEquals("[\"gpu\"]", service.getValue().path("profiles").toString(), service.getKey());
            } else {
                assertTrue(service.getValue().path("profiles").isMissingNode(), service.getKey() + " has a profile");
            }
        });
    }

    @Test
    void theGpuProfileRunsOneWorkerPerGpuEachPinnedToItsOwnDevice() throws Exception {
        JsonNode services = resolvedCompose("--profile", "gpu");
        Set<String> deviceIds = new HashSet<>();
        List<String> gpuWorkers = new ArrayList<>();
        services.fields().forEachRemaining(service -> {
            if (!service.getKey().matches("gpu-worker-[0-9]+")) {
                return;
            }
            gpuWorkers.add(service.getKey());
            JsonNode worker = service.getValue();
            assertEquals("gpu", worker.at("/profiles/0").asText(), service.getKey());
            assertEquals(
                    "src/main/docker/Dockerfile.gpu",
                    worker.at("/build/dockerfile").asText(),
                    service.getKey());
            assertEquals("gpu", worker.at("/environment/WORKER_DEVICE").asText(), service.getKey());
            assertTrue(
                    worker.at("/environment/KAFKA_BOOTSTRAP_SERVERS").asText().length() > 0, service.getKey());
            JsonNode devices = worker.at("/deploy/resources/reservations/devices");
            assertEquals(1, devices.size(), service.getKey() + " reserves one device entry");
            JsonNode device = devices.get(0);
            assertEquals("nvidia", device.path("driver").asText(), service.getKey());
            assertEquals("gpu", device.path("capabilities").get(0).asText(), service.getKey());
            assertTrue(device.path("count").isMissingNode(), service.getKey() + ": count puts every replica on GPU 0");
            assertEquals(1, device.path("device_ids").size(), service.getKey() + " gets exactly one GPU");
            String id = device.path("device_ids").get(0).asText();
            assertTrue(deviceIds.add(id), "GPU " + id + " is given to two workers: " + gpuWorkers);
        });
        assertTrue(gpuWorkers.size() >= 2, "the gpu profile has a worker per GPU: " + gpuWorkers);
    }

    @Test
    void theGpuImageRunsTheWorkerOnTheCudaLibtorchThatMatchesTheProjectsDjl() throws Exception {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile.gpu"));
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String pytorch = group(pom, "<pytorch\\.version>([^<]+)</pytorch\\.version>");
        assertEquals(pytorch, group(dockerfile, "(?m)^ARG PYTORCH_VERSION=(\\S+)$"), "libtorch matches the DJL JNI");
        String flavor = group(dockerfile, "(?m)^ARG PYTORCH_FLAVOR=(cu[0-9]+)$");
        String cuda = group(dockerfile, "(?m)^ARG CUDA_IMAGE=nvidia/cuda:([0-9]+\\.[0-9]+)\\.[0-9]+-\\S*runtime\\S*$");
        assertEquals(flavor, "cu" + cuda.replace(".", ""), "base image CUDA " + cuda + " vs libtorch " + flavor);
        for (String env : List.of(
                "PYTORCH_LIBRARY_PATH=/opt/libtorch/lib",
                "PYTORCH_FLAVOR=${PYTORCH_FLAVOR}",
                "PYTORCH_VERSION=${PYTORCH_VERSION}",
                "WORKER_DEVICE=gpu",
                "-Dai.djl.offline=true")) {
            assertTrue(dockerfile.contains(env), "Dockerfile.gpu sets " + env);
        }
        assertTrue(dockerfile.contains("COPY --from=libtorch /opt/libtorch/lib /opt/libtorch/lib"), dockerfile);
    }

    @Test
    void kubernetesRunsTheCudaImageWithOneGpuPerPod() throws Exception {
        Path k8s = ROOT.resolve("deploy/k8s");
        JsonNode container =
                YAML.readTree(k8s.resolve("gpu-worker.yaml").toFile()).at("/spec/template/spec/containers/0");
        assertEquals("1", container.at("/resources/limits/nvidia.com~1gpu").asText(), "one GPU per pod");
        assertEquals("1", container.at("/resources/requests/nvidia.com~1gpu").asText());
        boolean gpu = false;
        for (JsonNode variable : container.path("env")) {
            gpu |= variable.path("name").asText().equals("WORKER_DEVICE")
                    && variable.path("value").asText().equals("gpu");
        }
        assertTrue(gpu, "WORKER_DEVICE=gpu: " + container);
        String flavor = group(Files.readString(DOCKER.resolve("Dockerfile.gpu")), "(?m)^ARG PYTORCH_FLAVOR=(\\S+)$");
        for (JsonNode image :
                YAML.readTree(k8s.resolve("kustomization.yaml").toFile()).path("images")) {
            if (image.path("name").asText().equals("vtc/gpu-worker")) {
                assertTrue(image.path("newTag").asText().endsWith("-" + flavor), "the CUDA image's tag: " + image);
                return;
            }
        }
        throw new AssertionError("kustomization.yaml sets no tag for vtc/gpu-worker");
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex);
        return m.group(1);
    }
}
