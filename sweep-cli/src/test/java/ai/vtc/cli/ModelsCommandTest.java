package ai.vtc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.ModelManifest;
import ai.vtc.florence2.Florence2Pipeline;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sweep models upload} against a stub scheduler: the folder is loaded before anything is sent, the manifest has
 * every file's sha256, the files go to the links the scheduler gave, and refusals are one line.
 */
class ModelsCommandTest {
    record Request(String method, String path, byte[] body) {}

    @TempDir
    static Path shared;

    static Path model;

    @TempDir
    Path tmp;

    private HttpServer server;
    private String url;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, String> answers = new HashMap<>();
    private final Map<String, Integer> statuses = new HashMap<>();

    @BeforeAll
    static void tinyModel() {
        model = shared.resolve("tiny");
        try (Florence2Pipeline pipeline = Florence2Pipeline.createTinyDemo(3)) {
            pipeline.save(model);
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            synchronized (requests) {
                requests.add(new Request(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().toString(),
                        exchange.getRequestBody().readAllBytes()));
            }
            byte[] body = answers.getOrDefault(key, "{}").getBytes(StandardCharsets.UTF_8);
            int status = statuses.getOrDefault(key, answers.containsKey(key) ? 200 : 404);
            exchange.getResponseHeaders()
                    .add("Content-Type", status < 300 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = SweepCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--url");
        all.add(url);
        int exit = cli.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aFolderThatLoadsIsSentWithItsManifestToTheLinksTheSchedulerGives() throws IOException {
        List<String> names = List.of("config.json", "model.safetensors", "preprocessor_config.json", "tokenizer.json");
        StringBuilder links = new StringBuilder();
        for (String name : names) {
            links.append(links.isEmpty() ? "" : ",")
                    .append('"')
                    .append(name)
                    .append("\":\"")
                    .append(url)
                    .append("/put/")
                    .append(name)
                    .append('"');
            answers.put("PUT /put/" + name, "");
        }
        answers.put("POST /models/tiny-1/uploads?replace=false", "{\"unchanged\":false,\"uploads\":{" + links + "}}");
        answers.put("POST /models/tiny-1/uploads/complete", "{\"sha256\":\"abc\"}");
        Run run = run("models", "upload", model.toString(), "--name", "tiny-1");
        assertEquals(0, run.exit(), run.err());
        ModelManifest sent = ModelManifest.read(new String(requests.get(0).body(), StandardCharsets.UTF_8), "request");
        assertEquals(names, List.copyOf(sent.files().keySet()));
        assertEquals(
                Sha256.of(model.resolve("model.safetensors")),
                sent.files().get("model.safetensors").sha256());
        for (String name : names) {
            Request put = requests.stream()
                    .filter(r -> r.path().equals("/put/" + name))
                    .findFirst()
                    .orElseThrow();
            assertEquals("PUT", put.method());
            assertEquals(Files.size(model.resolve(name)), put.body().length, name);
        }
        assertEquals(
                "/models/tiny-1/uploads/complete",
                requests.get(requests.size() - 1).path());
        assertTrue(run.out().contains("stored model tiny-1 (manifest sha256 abc)"), run.out());
    }

    @Test
    void theSameModelAgainSendsNoFiles() {
        answers.put("POST /models/tiny-1/uploads?replace=true", "{\"unchanged\":true,\"uploads\":{}}");
        Run run = run("models", "upload", model.toString(), "--name", "tiny-1", "--replace");
        assertEquals(0, run.exit(), run.err());
        assertEquals(1, requests.size());
        assertTrue(run.out().contains("is stored with these files already; nothing to do"), run.out());
    }

    @Test
    void anotherModelUnderATakenNameIsRefusedInOneLine() {
        String key = "POST /models/tiny-1/uploads?replace=false";
        answers.put(
                key,
                "{\"title\":\"Another model is stored under this name\",\"status\":409,\"detail\":\"model tiny-1 exists"
                        + " with other files; upload under another name, or replace it\"}");
        statuses.put(key, 409);
        Run run = run("models", "upload", model.toString(), "--name", "tiny-1");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("exists with other files"), run.err());
        assertEquals(1, requests.size(), "no file sent");
    }

    @Test
    void aFolderWithoutTokenizerIsRefusedBeforeAnythingIsSent() throws IOException {
        Path folder = copy("no-tokenizer");
        Files.delete(folder.resolve("tokenizer.json"));
        Run run = run("models", "upload", folder.toString(), "--name", "tiny-1");
        assertEquals(1, run.exit());
        assertEquals(
                "sweep models upload: " + folder + " has no tokenizer.json; a model folder needs config.json,"
                        + " model.safetensors or pytorch_model.bin, and tokenizer.json; nothing was stored",
                run.err().strip());
        assertTrue(requests.isEmpty());
    }

    @Test
    void aConfigThatDoesNotMatchItsWeightsIsRefusedBeforeAnythingIsSent() throws IOException {
        Path folder = copy("deeper");
        ObjectNode config = (ObjectNode)
                Json.mapper().readTree(folder.resolve("config.json").toFile());
        ObjectNode text = (ObjectNode) config.get("text_config");
        text.put("encoder_layers", text.path("encoder_layers").asInt() + 1);
        Files.writeString(folder.resolve("config.json"), config.toString());
        Run run = run("models", "upload", folder.toString(), "--name", "tiny-1");
        assertEquals(1, run.exit());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("do not match its config.json ("), run.err());
        assertTrue(run.err().contains(" missing (first: language_model.model.encoder.layers."), run.err());
        assertTrue(requests.isEmpty());
    }

    @Test
    void aNameThatIsNotOnePathSegmentIsRefusedBeforeTheFolderIsRead() {
        Run run = run("models", "upload", tmp.resolve("absent").toString(), "--name", "microsoft/Florence-2-base");
        assertEquals(1, run.exit());
        assertTrue(run.err().startsWith("sweep models upload: "), run.err());
        assertTrue(run.err().contains("microsoft/Florence-2-base"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(requests.isEmpty());
    }

    @Test
    void listShowsEachModelWithItsManifest() {
        answers.put(
                "GET /models",
                "[{\"name\":\"tiny-1\",\"sha256\":\"" + "ab".repeat(32) + "\",\"files\":{\"config.json\":{},"
                        + "\"model.safetensors\":{}},\"bytes\":2500000,\"uploading\":false},"
                        + "{\"name\":\"old\",\"uploading\":false}]");
        Run run = run("models", "list");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("tiny-1  abababababababab  2.5 MB  config.json, model.safetensors"), run.out());
        assertTrue(run.out().contains("old     -                 -       no manifest"), run.out());
    }

    private Path copy(String name) throws IOException {
        Path folder = tmp.resolve(name);
        Files.createDirectories(folder);
        try (var files = Files.list(model)) {
            for (Path file : files.toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        return folder;
    }
}
