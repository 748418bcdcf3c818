package ai.vtc.worker.it;

import ai.vtc.stack.Ports;
import ai.vtc.stack.StackConfig;
import ai.vtc.stack.StackProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged worker ({@code target/quarkus-app/quarkus-run.jar}) as a separate process, as in production. */
final class WorkerProcess implements AutoCloseable {
    final String id;
    final Process process;
    final Path log;
    final int port;

    private WorkerProcess(String id, Process process, Path log, int port) {
        this.id = id;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static WorkerProcess start(String id, StackConfig stack, Path dir) throws Exception {
        return start(id, stack, dir, List.of());
    }

    /** With extra {@code -D} settings, e.g. {@code quarkus.profile=test} and a fault to inject. */
    static WorkerProcess start(String id, StackConfig stack, Path dir, List<String> settings) throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after 'package'");
        }
        int port = Ports.free();
        Path log = dir.resolve(id + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-Dai.djl.offline=true",
                "-Dquarkus.http.port=" + port,
                "-Dworker.id=" + id,
                "-Dworker.cache-dir=" + dir.resolve(id + "-cache"),
                "-Dworker.threads=1",
                "-Dworker.session-timeout-ms=6000",
                "-Dworker.progress-interval-seconds=1",
                "-Dworker.heartbeat-interval=2s"));
        StackProperties.common(stack).forEach((k, v) -> command.add("-D" + k + "=" + v));
        settings.forEach(setting -> command.add("-D" + setting));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        String cache = System.getenv("DJL_CACHE_DIR");
        if (cache != null) {
            builder.environment().put("DJL_CACHE_DIR", cache);
        }
        WorkerProcess worker = new WorkerProcess(id, builder.start(), log, port);
        worker.awaitReady(port);
        return worker;
    }

    private void awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("worker " + id + " exited; see " + log + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("worker " + id + " not ready within 180 s; see " + log);
    }

    /** The status code and body of {@code /q/health/<which>}. */
    HttpResponse<String> health(String which) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/" + which))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** kill -9: no shutdown hook, no checkpoint, no offset commit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
