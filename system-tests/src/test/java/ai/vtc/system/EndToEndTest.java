package ai.vtc.system;

import static ai.vtc.system.SystemStack.countOf;
import static ai.vtc.system.SystemStack.rows;
import static ai.vtc.system.SystemStack.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.system.SystemStack.Run;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The main job end to end, smaller than the demo: the real stack with the four packaged services, {@code sweep demo}
 * on a 3-trial sweep with tiny data (it makes the dataset through the dataset service and pretrains and uploads the
 * tiny model), then: every trial completed and evaluated, the accuracies on the evaluator's {@code /q/metrics}, a
 * checkpoint downloaded with {@code sweep checkpoints}, and the results page rendered by headless Chromium (screenshot
 * in {@code target/e2e/results-page.png}; the rendered DOM has the leaderboard rows and the plots).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {
    private static final Path ROOT = SystemStack.ROOT;
    private static final Path DIR = ROOT.resolve("system-tests/target/e2e");
    private static final int TRIALS = 3;

    private SystemStack stack;

    @BeforeAll
    void start() throws IOException {
        stack = SystemStack.start(DIR);
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theDemoPathRunsASweepToResultsMetricsCheckpointsAndTheResultsPage() throws Exception {
        Path stackDir = stack.dataDir();
        String scheduler = url("scheduler");
        List<String> demoArgs = new ArrayList<>(List.of(
                "demo",
                "--url",
                scheduler,
                "--file",
                ROOT.resolve("system-tests/src/test/resources/e2e-sweep.yaml").toString(),
                "--stack-dir",
                stackDir.toString(),
                "--repo",
                ROOT.toString(),
                "--interval",
                "1",
                "--timeout",
                "PT15M"));
        demoArgs.addAll(SystemStack.TINY_DEMO_DATA);
        String phase = SystemStack.TINY_PRETRAINING;
        Run demo = sweep(concat(demoArgs, "--pretrain-phase", phase));
        assertEquals(0, demo.code(), "sweep demo failed:\n" + demo.output());
        Matcher submitted = Pattern.compile("sweep (s-[A-Za-z0-9-]+): 3 trials").matcher(demo.output());
        assertTrue(submitted.find(), "the demo names its sweep and its 3 trials:\n" + demo.output());
        String id = submitted.group(1);
        assertTrue(demo.output().contains("sweep " + id + " is completed"), demo.output());
        assertTrue(demo.output().contains("majority-answer baseline"), demo.output());

        JsonNode results = get(scheduler + "/sweeps/" + id + "/results");
        assertEquals(TRIALS, results.path("evaluated").asInt(), results.toString());
        assertEquals(0, results.path("pending").asInt(), results.toString());
        JsonNode sweep = get(scheduler + "/sweeps/" + id);
        for (JsonNode trial : sweep.path("trials")) {
            assertEquals("completed", trial.path("status").asText(), trial.toString());
        }

        String metrics = text(url("evaluator") + "/q/metrics");
        long series = metrics.lines()
                .filter(l -> l.startsWith("vqa_accuracy{") && l.contains("sweep=\"" + id + "\""))
                .filter(l -> l.contains("answer_type=\"all\""))
                .count();
        assertEquals(TRIALS, series, "one vqa_accuracy series per trial on /q/metrics:\n" + metrics);

        String trial = results.path("results").get(0).path("trial_id").asText();
        Path downloads = DIR.resolve("downloads");
        Run fetch = sweep("checkpoints", "--url", scheduler, trial, "--download", downloads.toString());
        assertEquals(0, fetch.code(), fetch.output());
        Path checkpoint = downloads.resolve(trial).resolve("step-6");
        assertTrue(Files.size(checkpoint.resolve("model.safetensors")) > 100_000, fetch.output());
        assertTrue(Files.isRegularFile(checkpoint.resolve("state.json")), fetch.output());
        for (String file : List.of("config.json", "tokenizer.json", "preprocessor_config.json")) {
            assertTrue(
                    Files.isRegularFile(checkpoint.resolve(file)),
                    file + ": a Hugging Face model folder\n" + fetch.output());
        }

        String page = scheduler + "/#/sweeps/" + id;
        Path screenshot = DIR.resolve("results-page.png");
        Run shot = chromium("--screenshot=" + screenshot, "--window-size=1280,2200", page);
        assertEquals(0, shot.code(), shot.output());
        assertTrue(Files.size(screenshot) > 20_000, "a screenshot with content: " + Files.size(screenshot) + " bytes");
        String html = stack.renderedPage(page);
        int leaderboardRows = rows(section(html, "id=\"leaderboard\""));
        assertEquals(TRIALS, leaderboardRows, "leaderboard rows in the rendered page:\n" + html);
        assertTrue(countOf(section(html, "id=\"plot-factor\""), "<circle") >= TRIALS - 1, "factor plot points");
        assertTrue(countOf(section(html, "id=\"plot-pareto\""), "<circle") >= TRIALS, "Pareto plot points");
        assertTrue(html.contains(trial.substring(0, 8)), "the best trial is on the page");

        // the same names with other settings: refused before anything is made, nothing stored is replaced
        Run otherData = sweep(concat(demoArgs, "--pretrain-phase", phase, "--families", "COUNT"));
        assertEquals(1, otherData.code(), otherData.output());
        assertTrue(otherData.output().contains("exists with other settings"), otherData.output());
        Run otherRecipe = sweep(concat(demoArgs, "--pretrain-phase", "9 --batch-size 4 --lr 1e-3"));
        assertEquals(1, otherRecipe.code(), otherRecipe.output());
        assertTrue(otherRecipe.output().contains("was pretrained with other settings"), otherRecipe.output());
        assertTrue(otherRecipe.output().contains("phase 1: 8 --batch-size 4"), otherRecipe.output());
        assertEquals(1, get(scheduler + "/sweeps").size(), "no sweep submitted by the refused runs");

        everyMethodRunsTrainingFreeAndFineTunedWithItsCost(scheduler);
    }

    /**
     * The second sweep on the demo's model and data: every compression method at two budgets, training-free, next to
     * a fine-tuned none / avg_pool pair. Each trial completes, is evaluated, and reports its tokens, GFLOPs and
     * latencies; each is compared with the uncompressed trial of its own training.
     */
    private void everyMethodRunsTrainingFreeAndFineTunedWithItsCost(String scheduler) throws Exception {
        Run submit = sweep(
                "submit",
                "--url",
                scheduler,
                ROOT.resolve("system-tests/src/test/resources/e2e-methods-sweep.yaml")
                        .toString());
        assertEquals(0, submit.code(), submit.output());
        Matcher accepted = Pattern.compile("sweep (s-[A-Za-z0-9-]+) 'e2e-methods' accepted: 20 trials")
                .matcher(submit.output());
        assertTrue(accepted.find(), submit.output());
        String id = accepted.group(1);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        JsonNode results;
        while (true) {
            JsonNode sweep = get(scheduler + "/sweeps/" + id);
            results = get(scheduler + "/sweeps/" + id + "/results");
            if (!"running".equals(sweep.path("status").asText())
                    && results.path("evaluated").asInt() == 20) {
                assertEquals("completed", sweep.path("status").asText(), sweep.toString());
                break;
            }
            assertTrue(System.nanoTime() < deadline, "the methods sweep did not finish in 10 minutes: " + sweep);
            Thread.sleep(2000);
        }
        java.util.Set<String> modes = new java.util.TreeSet<>();
        int trainingFree = 0;
        for (JsonNode row : results.path("results")) {
            String what =
                    row.path("setting").asText() + " " + row.path("training").asText() + ": " + row;
            modes.add(row.path("mode").asText());
            trainingFree += "none".equals(row.path("training").asText()) ? 1 : 0;
            assertTrue(row.path("visual_tokens").asInt() >= 2, what);
            assertTrue(row.at("/cost/gflops/prefill").asDouble() > 0, what);
            assertTrue(row.at("/cost/gflops/decoder_per_token").asDouble() > 0, what);
            assertTrue(row.at("/cost/latency/prefill_ms").asDouble() > 0, what);
            assertTrue(row.at("/cost/latency/decode_step_ms").asDouble() > 0, what);
            if (!"none".equals(row.path("mode").asText())) {
                assertTrue(row.path("comparison").isObject(), "compared with its reference: " + what);
            }
        }
        assertEquals(
                java.util.Set.of(
                        "none",
                        "avg_pool",
                        "learnable_pool",
                        "pool2d",
                        "attn_prune",
                        "divprune",
                        "dominant_merge",
                        "random",
                        "downsample"),
                modes);
        assertEquals(18, trainingFree, "training-free trials next to the 2 fine-tuned ones");
        Run table = sweep("results", "--url", scheduler, id);
        assertEquals(0, table.code(), table.output());
        assertTrue(table.output().contains("GFLOPS") && table.output().contains("PREFILL MS"), table.output());
    }

    private static String[] concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private String url(String service) {
        return stack.url(service);
    }

    private Run sweep(String... args) throws IOException, InterruptedException {
        return stack.sweep(args);
    }

    private Run chromium(String... args) throws IOException, InterruptedException {
        return stack.chromium(args);
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        return stack.get(url);
    }

    private String text(String url) throws IOException, InterruptedException {
        return stack.text(url);
    }
}
