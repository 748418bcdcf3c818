package ai.vtc.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.stack.Ports;
import ai.vtc.stack.Stack;
import ai.vtc.stack.StackConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real stack with the four packaged services on free ports and its own data folder, for the system tests: the
 * sweep command line and headless Chromium run against it as child processes, REST calls go through the JDK client.
 */
final class SystemStack implements AutoCloseable {
    static final Path ROOT = DeployFilesTest.ROOT;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code sweep demo}'s dataset and pretraining set on tiny data: 72 train and 24 val questions of 64 px. */
    static final List<String> TINY_DEMO_DATA = List.of(
            "--data-train-images",
            "24",
            "--data-val-images",
            "8",
            "--questions-per-image",
            "3",
            "--image-size",
            "64",
            "--pretrain-images",
            "24");
    /** {@code sweep demo --pretrain-phase} for tiny data: a few steps, so that the tiny model exists, not learns. */
    static final String TINY_PRETRAINING = "8 --batch-size 4 --lr 1e-3";

    /** The output and exit code of a child process. */
    record Run(int code, String output) {}

    private final Path dir;
    private final Stack stack;
    private final HttpClient http = HttpClient.newHttpClient();

    private SystemStack(Path dir, Stack stack) {
        this.dir = dir;
        this.stack = stack;
    }

    /**
     * Starts the stack in {@code dir/stack} ({@code dir} emptied first) after checking that every packaged jar the
     * system tests need exists; the gpu-worker runs two trials at a time and reports progress every second.
     */
    static SystemStack start(Path dir) throws IOException {
        return start(dir, 1, 2);
    }

    /**
     * {@link #start(Path)} with {@code workers} gpu-worker processes ({@code gpu-worker}, {@code gpu-worker-2}, ...)
     * that run {@code threads} trials at a time each.
     */
    static SystemStack start(Path dir, int workers, int threads) throws IOException {
        for (String jar : List.of(
                "sweep-cli/target/sweep-cli.jar",
                "florence2-train/target/florence2.jar",
                "scheduler/target/quarkus-app/quarkus-run.jar",
                "gpu-worker/target/quarkus-app/quarkus-run.jar",
                "evaluator/target/quarkus-app/quarkus-run.jar",
                "dataset-service/target/quarkus-app/quarkus-run.jar")) {
            assertTrue(
                    Files.isRegularFile(ROOT.resolve(jar)),
                    jar + " is not built; the system tests run after every module is packaged (./mvnw verify)");
        }
        deleteTree(dir);
        List<StackConfig.ServiceSpec> services = new ArrayList<>();
        Map<String, Map<String, String>> properties = new java.util.HashMap<>();
        for (StackConfig.ServiceSpec s : StackConfig.PROJECT_SERVICES) {
            services.add(new StackConfig.ServiceSpec(s.name(), Ports.free(), s.database()));
        }
        for (int i = 1; i <= workers; i++) {
            String name = i == 1 ? "gpu-worker" : "gpu-worker-" + i;
            if (i > 1) {
                services.add(new StackConfig.ServiceSpec(name, Ports.free(), null));
            }
            properties.put(
                    name, Map.of("worker.progress-interval-seconds", "1", "worker.threads", Integer.toString(threads)));
        }
        StackConfig config = StackConfig.builder(dir.resolve("stack"))
                .randomPorts()
                .prometheus("off")
                .services(ROOT, services)
                .build();
        Stack stack = Stack.start(config, properties, System.out);
        return new SystemStack(dir, stack);
    }

    @Override
    public void close() {
        stack.close();
    }

    /** The stack itself: fault tests stop and start its servers. */
    Stack stack() {
        return stack;
    }

    /** The stack's data folder ({@code sweep demo --stack-dir}). */
    Path dataDir() {
        return stack.config().dataDir();
    }

    String url(String service) {
        return stack.config().services().stream()
                .filter(s -> s.name().equals(service))
                .findFirst()
                .map(s -> "http://127.0.0.1:" + s.port())
                .orElseThrow();
    }

    /** The sweep command line with {@code args}, given 20 minutes. */
    Run sweep(String... args) throws IOException, InterruptedException {
        return sweep(20, args);
    }

    Run sweep(int minutes, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ROOT.resolve("sweep-cli/target/sweep-cli.jar").toString()));
        command.addAll(List.of(args));
        return run(command, minutes);
    }

    /** Headless Chromium from Debian's package; --virtual-time-budget lets the page's fetches and scripts finish. */
    Run chromium(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--virtual-time-budget=15000",
                "--user-data-dir=" + dir.resolve("chromium-profile")));
        command.addAll(List.of(args));
        return run(command, 3);
    }

    /** The page's DOM after its scripts ran, checked to have been dumped. */
    String renderedPage(String page) throws IOException, InterruptedException {
        Run dom = chromium("--dump-dom", page);
        assertEquals(0, dom.code(), dom.output());
        return dom.output();
    }

    private Run run(List<String> command, int minutes) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + minutes + " min:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        System.out.println(output);
        return new Run(p.exitValue(), output);
    }

    JsonNode get(String url) throws IOException, InterruptedException {
        return JSON.readTree(text(url));
    }

    /** GETs {@code url} with the stack's API token (the checkpoint listing needs it); the answer must be 200. */
    String text(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + StackConfig.SCHEDULER_API_TOKEN)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return r.body();
    }

    /** POSTs {@code json} with the stack's API token; the answer must be {@code status}. */
    JsonNode post(String url, String json, int status) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + StackConfig.SCHEDULER_API_TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), url + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** The element that starts with {@code marker}, up to the next section or table end (enough for counting). */
    static String section(String html, String marker) {
        int start = html.indexOf(marker);
        assertTrue(start >= 0, marker + " is not in the rendered page");
        int end = html.indexOf("</table>", start);
        int figure = html.indexOf("</figure>", start);
        if (figure >= 0 && (end < 0 || figure < end)) {
            end = figure;
        }
        return html.substring(start, end < 0 ? html.length() : end);
    }

    static int rows(String table) {
        int body = table.indexOf("<tbody");
        return body < 0 ? 0 : countOf(table.substring(body), "<tr");
    }

    static int countOf(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(dir);
    }
}
