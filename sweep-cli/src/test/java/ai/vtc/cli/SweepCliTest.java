package ai.vtc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.ReferenceComparison;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against a stub scheduler that answers as the real one does and records what it was sent. */
class SweepCliTest {
    record Request(String method, String path, String authorization, String contentType, String body) {}

    record Answer(int status, String contentType, String body) {}

    private HttpServer server;
    private String url;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Answer>> answers = new HashMap<>();

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String key = exchange.getRequestMethod() + " " + exchange.getRequestURI();
        synchronized (requests) {
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body));
        }
        Deque<Answer> queue = answers.get(key);
        Answer answer = queue == null || queue.isEmpty()
                ? new Answer(404, "application/problem+json", "{\"title\":\"Not found\",\"status\":404}")
                : queue.size() > 1 ? queue.poll() : queue.peek();
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private void answer(String methodAndPath, int status, String json) {
        answers.computeIfAbsent(methodAndPath, k -> new ArrayDeque<>())
                .add(new Answer(status, status < 300 ? "application/json" : "application/problem+json", json));
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

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private Path designExample() throws IOException {
        Path file = tmp.resolve("sweep.yaml");
        try (var in = getClass().getResourceAsStream("/design-example.yaml")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @Test
    void submitSendsTheYamlWithTheTokenAndPrintsTheSweepId() throws IOException {
        answer(
                "POST /sweeps",
                201,
                json("{'id':'s-1a2b3c4d5e6f','name':'compression-grid','status':'running',"
                        + "'trials_total':25,'new_trials':25,'requeued_trials':0,'reused_trials':0,'trials':[]}"));
        Path file = designExample();
        Run run = run("submit", file.toString(), "--token", "t0k3n");
        assertEquals(0, run.exit(), run.err());
        assertTrue(
                run.out().contains("sweep s-1a2b3c4d5e6f 'compression-grid' accepted: 25 trials (25 new"), run.out());
        Request sent = requests.get(0);
        assertEquals("Bearer t0k3n", sent.authorization());
        assertEquals("application/yaml", sent.contentType());
        assertEquals(Files.readString(file), sent.body());
    }

    @Test
    void anInvalidSpecPrintsEveryProblemWithItsPath() throws IOException {
        answer(
                "POST /sweeps",
                400,
                json("{'type':'/problems/invalid-sweep','title':'The sweep spec is invalid',"
                        + "'status':400,'detail':'2 problem(s); nothing was stored or published','errors':["
                        + "{'path':'grid.factor[1]','message':'must be at least 2, not 1'},"
                        + "{'path':'','message':'only one YAML document is allowed'}]}"));
        Run run = run("submit", designExample().toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("The sweep spec is invalid: 2 problem(s)"), run.err());
        assertTrue(run.err().contains("  grid.factor[1]: must be at least 2, not 1"), run.err());
        assertTrue(run.err().contains("  (document): only one YAML document is allowed"), run.err());
    }

    @Test
    void aRefusedTokenSaysHowToSetIt() {
        answer("POST /sweeps/s-1/cancel", 401, json("{'title':'An API token is required','status':401}"));
        Run run = run("cancel", "s-1", "--token", "wrong");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("An API token is required (set --token or SWEEP_TOKEN)"), run.err());
    }

    @Test
    void statusDrawsAProgressBarPerTrial() {
        answer(
                "GET /sweeps/s-1",
                200,
                json("{'id':'s-1','name':'grid','status':'running','status_reason':null,"
                        + "'counts':{'queued':1,'running':1,'completed':1},'trials':["
                        + "{'id':'aaaaaaaaaaaaaaaa','status':'completed','attempt':1,'mode':'none','factor':null,'stage':null,"
                        + "'sorted':null,'seed':0,'phase':'eval','step':40,'total_steps':40,'loss':0.5,'accuracy':61.25},"
                        + "{'id':'bbbbbbbbbbbbbbbb','status':'running','attempt':2,'mode':'avg_pool','factor':4,'stage':2,"
                        + "'sorted':true,'seed':0,'phase':'train','step':20,'total_steps':40,'loss':1.25,'accuracy':null},"
                        + "{'id':'cccccccccccccccc','status':'queued','attempt':1,'mode':'learnable_pool','factor':8,"
                        + "'stage':0,'sorted':false,'seed':1,'phase':null,'step':0,'total_steps':0,'loss':null}]}"));
        Run run = run("status", "s-1");
        assertEquals(0, run.exit(), run.err());
        String out = run.out();
        assertTrue(out.startsWith("sweep s-1 'grid'  running\n3 trials: 1 queued, 1 running, 1 completed"), out);
        assertTrue(out.contains("[####################] 100%  accuracy 61.25"), out);
        assertTrue(out.contains("avg_pool f=4 s=2 sorted"), out);
        assertTrue(out.contains("running #2"), out);
        assertTrue(out.contains("[##########..........]  50%  train 20/40 loss 1.250"), out);
        assertTrue(out.contains("[....................]   0%"), out);
    }

    @Test
    void watchRefreshesUntilTheSweepIsNoLongerRunning() {
        String running = json("{'id':'s-1','name':'g','status':'running','counts':{'running':1},'trials':[]}");
        String done = json("{'id':'s-1','name':'g','status':'completed','counts':{'completed':1},'trials':[]}");
        answer("GET /sweeps/s-1", 200, running);
        answer("GET /sweeps/s-1", 200, done);
        Run run = run("status", "s-1", "--watch", "--interval", "0.05");
        assertEquals(0, run.exit(), run.err());
        assertEquals(2, requests.size());
        assertTrue(run.out().contains("'g'  running") && run.out().contains("'g'  completed"), run.out());
    }

    @Test
    void resultsAreATableSortedByAccuracy() {
        answer(
                "GET /sweeps/s-1/results",
                200,
                json("{'sweep_id':'s-1','name':'grid','evaluated':3,'pending':1,"
                        + "'results':["
                        + "{'trial_id':'t1','mode':'avg_pool','factor':4,'stage':0,'sorted':false,'seed':0,"
                        + "'visual_tokens':145,'accuracy':40.5},"
                        + "{'trial_id':'t2','mode':'none','factor':null,'stage':null,'sorted':null,'seed':0,"
                        + "'visual_tokens':577,'accuracy':70.25},"
                        + "{'trial_id':'t3','mode':'learnable_pool','factor':2,'stage':2,'sorted':true,'seed':0,"
                        + "'visual_tokens':null,'accuracy':55.0}]}"));
        Run run = run("results", "s-1");
        assertEquals(0, run.exit(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(1).startsWith("RANK  ACCURACY  COMPRESSION"), run.out());
        assertTrue(lines.get(2).matches("1 +70\\.25 +none +0 +577 +t2"), lines.get(2));
        assertTrue(lines.get(3).matches("2 +55\\.00 +learnable_pool f=2 s=2 sorted +0 +- +t3"), lines.get(3));
        assertTrue(lines.get(4).matches("3 +40\\.50 +avg_pool f=4 s=0 +0 +145 +t1"), lines.get(4));
        assertEquals("3 evaluated, 1 not yet", lines.get(5));
    }

    /**
     * A sweep with training-free and fine-tuned trials, their intervals, comparisons, costs and fronts, as the
     * scheduler answers: t1 fine-tuned none (reference, 17 tokens, 10 GFLOPs), t2 fine-tuned attn_prune (a significant
     * loss), t3 training-free downsample (no reference), t4 the same attn_prune with seed 1 (no latency measured).
     */
    private void statisticsResults() {
        String cost17 = "{'visual_tokens':17,'text_tokens':11.5,'gflops':{'vision':5.0,'encoder':4.0,"
                + "'cross_attention':0.5,'decoder_per_token':0.2,'prefill':10.0},'latency':{'prefill_ms':40.0,"
                + "'decode_step_ms':2.5,'batch_size':16,'batches':4,'device':'cpu()','precision':'fp32'}}";
        String cost5 = cost17.replace("'visual_tokens':17", "'visual_tokens':5")
                .replace("'prefill':10.0", "'prefill':4.5")
                .replace("'prefill_ms':40.0", "'prefill_ms':22.0");
        String cost5NoLatency = cost5.substring(0, cost5.indexOf(",'latency'")) + "}";
        String cost10 = cost17.replace("'visual_tokens':17", "'visual_tokens':10")
                .replace("'prefill':10.0", "'prefill':3.0")
                .replace("'prefill_ms':40.0", "'prefill_ms':30.0");
        answer(
                "GET /sweeps/s-2/results",
                200,
                json("{'sweep_id':'s-2','name':'methods','evaluated':4,'pending':0,'results':["
                        + "{'trial_id':'t1','training':'fine_tune','setting':'none','mode':'none','factor':null,"
                        + "'stage':null,'sorted':null,'keep':null,'dominant':null,'image_size':null,'seed':0,"
                        + "'visual_tokens':17,'accuracy':80.0,'accuracy_lower':76.5,'accuracy_upper':83.25,"
                        + "'comparison':null,'comparison_note':'"
                        + ReferenceComparison.IS_REFERENCE + "','seeds':1,'seed_mean':80.0,'seed_sd':null,"
                        + "'cost':" + cost17 + ",'on_front':{'tokens':true,'gflops':true,'latency':true}},"
                        + "{'trial_id':'t2','training':'fine_tune','setting':'attn_prune keep=4 stage=2',"
                        + "'mode':'attn_prune','factor':null,'stage':2,'sorted':null,'keep':4,'dominant':null,"
                        + "'image_size':null,'seed':0,'visual_tokens':5,'accuracy':70.0,'accuracy_lower':66.0,"
                        + "'accuracy_upper':74.0,'comparison':{'reference_trial_id':'t1','difference':-10.0,"
                        + "'lower':-14.0,'upper':-6.0,'significant':true,'questions':300},'seeds':2,"
                        + "'seed_mean':71.0,'seed_sd':1.41,'cost':" + cost5 + ","
                        + "'on_front':{'tokens':false,'gflops':false,'latency':true}},"
                        + "{'trial_id':'t3','training':'none','setting':'downsample size=96','mode':'downsample',"
                        + "'image_size':96,'seed':0,'visual_tokens':10,'accuracy':60.0,'accuracy_lower':56.0,"
                        + "'accuracy_upper':64.0,'comparison_note':'" + ReferenceComparison.NO_REFERENCE + "',"
                        + "'seeds':1,'seed_mean':60.0,'cost':" + cost10 + ","
                        + "'on_front':{'tokens':false,'gflops':true,'latency':false}},"
                        + "{'trial_id':'t4','training':'fine_tune','setting':'attn_prune keep=4 stage=2',"
                        + "'mode':'attn_prune','stage':2,'keep':4,'seed':1,'visual_tokens':5,'accuracy':72.0,"
                        + "'accuracy_lower':68.0,'accuracy_upper':76.0,'comparison':{'reference_trial_id':'t1',"
                        + "'difference':-8.0,'lower':-12.5,'upper':0.5,'significant':false,'questions':300},"
                        + "'seeds':2,'seed_mean':71.0,'seed_sd':1.41,'cost':" + cost5NoLatency + ","
                        + "'on_front':{'tokens':true,'gflops':false}}]}"));
    }

    @Test
    void resultsShowIntervalsTheDifferenceToTheReferenceTrainingCostAndTheSpreadAcrossSeeds() {
        statisticsResults();
        Run run = run("results", "s-2");
        assertEquals(0, run.exit(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(
                lines.get(1)
                        .matches(
                                "RANK +ACCURACY +95% CI +DELTA VS REF \\[95% CI\\] +COMPRESSION +TRAINING +SEED +TOKENS"
                                        + " +GFLOPS +PREFILL MS +DECODE MS +TRIAL"),
                lines.get(1));
        assertTrue(
                lines.get(2)
                        .matches("1 +80\\.00 +\\[76\\.50, 83\\.25\\] +- +none +fine_tune +0 +17 +10\\.00 +40\\.00"
                                + " +2\\.50 +t1"),
                lines.get(2));
        assertTrue(
                lines.get(3)
                        .matches(
                                "2 +72\\.00 +\\[68\\.00, 76\\.00\\] +-8\\.00 \\[-12\\.50, \\+0\\.50\\] +attn_prune keep=4 s=2"
                                        + " +fine_tune +1 +5 +4\\.50 +- +- +t4"),
                lines.get(3));
        assertTrue(
                lines.get(4)
                        .matches("3 +70\\.00 +\\[66\\.00, 74\\.00\\] +-10\\.00 \\[-14\\.00, -6\\.00\\] \\* +attn_prune"
                                + " keep=4 s=2 +fine_tune +0 +5 +4\\.50 +22\\.00 +2\\.50 +t2"),
                lines.get(4));
        assertTrue(lines.get(5).matches("4 +60\\.00 .* - +downsample size=96 +none +0 +10 +3\\.00 .*t3"), lines.get(5));
        assertTrue(run.out().contains("* the 95% interval excludes 0"), run.out());
        assertTrue(run.out().contains("no comparison for 1 trial(s): " + ReferenceComparison.NO_REFERENCE), run.out());
        assertTrue(run.out().contains("across seeds:"), run.out());
        assertTrue(
                run.out().lines().anyMatch(l -> l.matches("attn_prune keep=4 s=2 +fine_tune +2 +71\\.00 +1\\.41")),
                run.out());
        assertTrue(run.out().endsWith("4 evaluated, 0 not yet\n"), run.out());
    }

    @Test
    void theParetoViewListsTheFrontOfTheChosenCostCheapestFirst() {
        statisticsResults();
        Run gflops = run("results", "s-2", "--pareto", "--cost", "gflops");
        assertEquals(0, gflops.exit(), gflops.err());
        List<String> lines = gflops.out().lines().toList();
        assertEquals(
                "Pareto front of accuracy against prefill GFLOPs per sample: 2 of 4 evaluated trials", lines.get(1));
        assertTrue(lines.get(2).startsWith("GFLOPS  ACCURACY  95% CI"), lines.get(2));
        assertTrue(
                lines.get(3).matches("3\\.00 +60\\.00 +\\[56\\.00, 64\\.00\\] +downsample size=96 +none +0 +t3"),
                lines.get(3));
        assertTrue(lines.get(4).matches("10\\.00 +80\\.00 .* +none +fine_tune +0 +t1"), lines.get(4));
        assertEquals(5, lines.size(), gflops.out());

        Run tokens = run("results", "s-2", "--pareto");
        assertEquals(0, tokens.exit(), tokens.err());
        List<String> front =
                tokens.out().lines().skip(3).map(l -> l.replaceAll(".* ", "")).toList();
        assertEquals(List.of("t4", "t1"), front, tokens.out());

        Run latency = run("results", "s-2", "--pareto", "--cost", "latency");
        assertTrue(
                latency.out().contains("1 trial(s) without a known prefill latency per batch (ms) are left out"),
                latency.out());
        assertEquals(
                List.of("t2", "t1"),
                latency.out()
                        .lines()
                        .skip(3)
                        .limit(2)
                        .map(l -> l.replaceAll(".* ", ""))
                        .toList(),
                latency.out());
    }

    @Test
    void aCostWithoutTheParetoViewOrAnUnknownCostIsRefused() {
        Run alone = run("results", "s-2", "--cost", "gflops");
        assertEquals(1, alone.exit());
        assertTrue(
                alone.err().contains("--cost chooses the cost of the Pareto view: give it with --pareto"), alone.err());
        Run unknown = run("results", "s-2", "--pareto", "--cost", "watts");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("[tokens, gflops, latency], not 'watts'"), unknown.err());
        assertTrue(requests.isEmpty(), "nothing asked of the scheduler");
    }

    @Test
    void cancelAndRetryPostWithTheToken() {
        answer(
                "POST /sweeps/s-1/cancel",
                200,
                json("{'id':'s-1','status':'cancelled','cancelled':3,'cancelling':1," + "'kept':0,'retried':0}"));
        answer(
                "POST /sweeps/s-1/retry",
                200,
                json("{'id':'s-1','status':'running','cancelled':0,'cancelling':0," + "'kept':0,'retried':2}"));
        Run cancel = run("cancel", "s-1");
        Run retry = run("retry", "s-1");
        assertEquals(0, cancel.exit());
        assertTrue(cancel.out().contains("3 queued trials cancelled, 1 running told to stop"), cancel.out());
        assertTrue(retry.out().contains("2 failed trials queued again"), retry.out());
        assertEquals("Bearer " + SweepCli.DEFAULT_TOKEN, requests.get(0).authorization());
        assertEquals("POST", requests.get(1).method());
    }

    @Test
    void checkpointsListAndDownloadTheNewestStep() throws IOException {
        answerCheckpoints(sha256("weights@20"));
        answers.computeIfAbsent("GET /files/20m", k -> new ArrayDeque<>())
                .add(new Answer(200, "application/octet-stream", "weights@20"));
        answers.computeIfAbsent("GET /files/20s", k -> new ArrayDeque<>())
                .add(new Answer(200, "application/json", "{\"step\":20}"));
        Run list = run("checkpoints", "t1");
        assertTrue(list.out().contains("step 10\n  model.safetensors  " + url + "/files/10"), list.out());
        Run download = run("checkpoints", "t1", "--download", tmp.toString());
        assertEquals(0, download.exit(), download.err());
        assertEquals("weights@20", Files.readString(tmp.resolve("t1/step-20/model.safetensors")));
        assertEquals("{\"step\":20}", Files.readString(tmp.resolve("t1/step-20/state.json")));
        assertTrue(Files.notExists(tmp.resolve("t1/step-10")));
        assertTrue(download.out().contains("--model " + tmp + "/t1/step-20 "), download.out());
    }

    @Test
    void checkpointsDownloadIntoRelativeFoldersAsTyped() throws IOException {
        answerCheckpoints(sha256("weights@20"));
        answers.computeIfAbsent("GET /files/20m", k -> new ArrayDeque<>())
                .add(new Answer(200, "application/octet-stream", "weights@20"));
        answers.computeIfAbsent("GET /files/20s", k -> new ArrayDeque<>())
                .add(new Answer(200, "application/json", "{\"step\":20}"));
        // the temporary folder as a path relative to the working directory, the way a newcomer types one
        String relative = Path.of("").toAbsolutePath().relativize(tmp).toString();
        for (String typed : List.of("./" + relative + "/a", relative + "/b/../c", "./" + relative + "/d/.")) {
            Run download = run("checkpoints", "t1", "--download", typed);
            assertEquals(0, download.exit(), typed + ": " + download.err());
            assertTrue(download.out().contains("--model " + typed + "/t1/step-20 "), download.out());
            assertEquals(
                    "weights@20",
                    Files.readString(Path.of(typed).normalize().resolve("t1/step-20/model.safetensors")),
                    typed);
        }
        assertTrue(Files.notExists(tmp.resolve("b")));
    }

    @Test
    void aLoraCheckpointDownloadsWithTheMergeCommandThatMakesItAModelFolder() throws IOException {
        String adapterConfig = "{\"peft_type\":\"LORA\"}";
        answer(
                "GET /trials/t1/checkpoints",
                200,
                json("{'trial_id':'t1','expires_in_seconds':3600,'checkpoints':[{'step':5,'files':["
                        + "{'name':'adapter_config.json','key':'k','sha256':'" + sha256(adapterConfig) + "','url':'"
                        + url + "/files/5a'}]}]}"));
        answers.computeIfAbsent("GET /files/5a", k -> new ArrayDeque<>())
                .add(new Answer(200, "application/json", adapterConfig));
        Run download = run("checkpoints", "t1", "--download", tmp.toString());
        assertEquals(0, download.exit(), download.err());
        assertEquals(adapterConfig, Files.readString(tmp.resolve("t1/step-5/adapter_config.json")));
        assertTrue(
                download.out().contains("merge --model BASE_MODEL_DIR --adapter " + tmp + "/t1/step-5 --out MERGED"),
                download.out());
        assertFalse(download.out().contains("generate --model " + tmp), download.out());
    }

    @Test
    void aCheckpointFileThatDoesNotMatchItsSha256IsNotKept() {
        answerCheckpoints(sha256("weights@20"));
        answers.computeIfAbsent("GET /files/20m", k -> new ArrayDeque<>())
                .add(new Answer(200, "application/octet-stream", "weights@2O, corrupted"));
        Run download = run("checkpoints", "t1", "--download", tmp.toString());
        assertEquals(1, download.exit());
        assertEquals(1, download.err().lines().count(), download.err());
        assertTrue(
                download.err().startsWith("sweep checkpoints: model.safetensors arrived with sha256 "), download.err());
        assertTrue(download.err().contains("run the command again"), download.err());
        assertTrue(Files.notExists(tmp.resolve("t1/step-20/model.safetensors")));
        assertTrue(Files.notExists(tmp.resolve("t1/step-20/model.safetensors.partial")));
    }

    @Test
    void aTrialIdThatIsAPathIsRefusedInOneLine() {
        Run run = run("checkpoints", "../t1", "--download", tmp.toString());
        assertEquals(1, run.exit());
        assertEquals(
                "sweep checkpoints: '../t1' is not a trial id (16 hex characters, as 'sweep status SWEEP' shows)",
                run.err().strip());
        assertTrue(requests.isEmpty());
    }

    @Test
    void aMissingSweepFileIsOneLineWithoutAStackTrace() {
        Run run = run("submit", tmp.resolve("absent.yaml").toString());
        assertEquals(1, run.exit());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("absent.yaml"), run.err());
    }

    @Test
    void listSizesItsColumnsToTheirContent() {
        answer(
                "GET /sweeps?limit=20",
                200,
                json("[{'id':'s-1','name':'tiny','status':'done','trials':2,"
                        + "'counts':{'running':0,'queued':0,'completed':2,'failed':0},"
                        + "'created_at':'2026-01-01T00:00:00Z'}]"));
        Run run = run("list");
        assertEquals(0, run.exit(), run.err());
        String row = run.out().lines().skip(1).findFirst().orElseThrow();
        assertTrue(row.startsWith("s-1    tiny  done"), row);
    }

    private void answerCheckpoints(String newestWeightsSha256) {
        answer(
                "GET /trials/t1/checkpoints",
                200,
                json("{'trial_id':'t1','expires_in_seconds':3600,'checkpoints':["
                        + "{'step':10,'files':[{'name':'model.safetensors','key':'k','url':'" + url + "/files/10'}]},"
                        + "{'step':20,'files':[{'name':'model.safetensors','key':'k','sha256':'" + newestWeightsSha256
                        + "','url':'" + url + "/files/20m'},"
                        + "{'name':'state.json','key':'k','sha256':'" + sha256("{\"step\":20}") + "','url':'" + url
                        + "/files/20s'}]}]}"));
    }

    private static String sha256(String text) {
        return ai.vtc.contracts.TrialIds.sha256Hex(text);
    }

    @Test
    void validateChecksASpecOffline() throws IOException {
        Run valid = run("validate", designExample().toString());
        assertEquals(0, valid.exit(), valid.err());
        assertTrue(valid.out().contains("is valid: sweep 'compression-grid' expands to 25 trials"), valid.out());
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(designExample()).replace("factor: [2, 4, 8]", "factor: [2, 1]"));
        Run invalid = run("validate", bad.toString());
        assertEquals(1, invalid.exit());
        assertTrue(invalid.err().contains("grid.factor[1]: must be at least 2, not 1"), invalid.err());
        assertTrue(requests.isEmpty());
    }

    @Test
    void anUnreachableSchedulerSaysWhatToDo() {
        server.stop(0);
        Run run = run("list");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("cannot reach the scheduler"), run.err());
    }
}
