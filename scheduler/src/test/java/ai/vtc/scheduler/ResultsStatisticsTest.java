package ai.vtc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.ReferenceComparison;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialCost;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.storage.ObjectStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The results view and page of a hand-made sweep: fine-tuned and training-free trials of none and avg_pool f=4 with
 * two seeds, their costs as the worker reports them and their statistics as the evaluator announces them.
 *
 * <pre>
 *   trial          tokens  GFLOPs  latency  accuracy  comparison
 *   ft-none-0      17      10      40       80        reference
 *   ft-avg4-0      5       5       20       70        -10 [-14, -6] *
 *   free-none-0    17      10      30       60        reference
 *   free-avg4-0    5       5       10       40        -20 [-25, -15] *
 *   ft-none-1      17      10      -        78        reference
 *   ft-avg4-1      5       5       25       72        vs a trial of another sweep: not shown
 *   free-none-1    17      10      30       61        reference
 *   free-avg4-1    5       5       12       39        none: no reference
 * </pre>
 *
 * Fronts: tokens and GFLOPs {ft-avg4-1, ft-none-0}; latency {free-avg4-0, ft-avg4-0, ft-avg4-1, ft-none-0}.
 */
@QuarkusTest
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultsStatisticsTest {
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    @Inject
    ObjectStore store;

    private String sweep;
    /** Trial id by name ({@code ft-avg4-0}, ...). */
    private final Map<String, String> ids = new HashMap<>();

    @Test
    void resultsShowTrainingSettingIntervalComparisonSpreadCostAndFronts() {
        handMadeSweep();
        JsonPath results = RestAssured.given()
                .get("/sweeps/" + sweep + "/results")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(8, results.getInt("evaluated"));
        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (Map<String, Object> row : results.<Map<String, Object>>getList("results")) {
            rows.put(name((String) row.get("trial_id")), row);
        }
        assertEquals(ids.get("ft-none-0"), results.getString("results[0].trial_id"), "best first");

        Map<String, Object> ftAvg = rows.get("ft-avg4-0");
        assertEquals("fine_tune", ftAvg.get("training"));
        assertEquals("avg_pool f=4 stage=0", ftAvg.get("setting"));
        assertEquals(68.0f, ftAvg.get("accuracy_lower"));
        Map<?, ?> comparison = (Map<?, ?>) ftAvg.get("comparison");
        assertEquals(ids.get("ft-none-0"), comparison.get("reference_trial_id"));
        assertEquals(-10.0f, comparison.get("difference"));
        assertEquals(-14.0f, comparison.get("lower"));
        assertEquals(true, comparison.get("significant"));
        assertEquals(300, comparison.get("questions"));
        assertEquals(2, ftAvg.get("seeds"));
        assertEquals(71.0f, ftAvg.get("seed_mean"));
        assertEquals(1.41f, ftAvg.get("seed_sd"));
        assertEquals(5.0f, ((Map<?, ?>) ((Map<?, ?>) ftAvg.get("cost")).get("gflops")).get("prefill"));

        Map<String, Object> freeAvg = rows.get("free-avg4-0");
        assertEquals("none", freeAvg.get("training"));
        assertEquals(
                ids.get("free-none-0"),
                ((Map<?, ?>) freeAvg.get("comparison")).get("reference_trial_id"),
                "training-free vs the stored model");
        assertEquals(ReferenceComparison.IS_REFERENCE, rows.get("ft-none-0").get("comparison_note"));
        assertNull(rows.get("free-avg4-1").get("comparison"));
        assertEquals(ReferenceComparison.NO_REFERENCE, rows.get("free-avg4-1").get("comparison_note"));
        Map<String, Object> elsewhere = rows.get("ft-avg4-1");
        assertNull(elsewhere.get("comparison"), "a reference outside the sweep is not shown");
        assertTrue(((String) elsewhere.get("comparison_note")).contains("another sweep"), elsewhere.toString());

        assertEquals(Set.of("ft-avg4-1", "ft-none-0"), onFront(rows, "tokens"));
        assertEquals(Set.of("ft-avg4-1", "ft-none-0"), onFront(rows, "gflops"));
        assertEquals(Set.of("free-avg4-0", "ft-avg4-0", "ft-avg4-1", "ft-none-0"), onFront(rows, "latency"));
        assertFalse(
                ((Map<?, ?>) rows.get("ft-none-1").get("on_front")).containsKey("latency"),
                "no latency measured: not on that axis at all");

        JsonPath trial = Fixtures.trial(ids.get("ft-avg4-0"));
        assertEquals("fine_tune", trial.getString("training"));
        assertEquals(20.0f, trial.getFloat("cost.latency.prefill_ms"));
        assertEquals("cpu()", trial.getString("cost.latency.device"));
        assertEquals(-10.0f, trial.getFloat("comparison.difference"));
        assertEquals(72.0f, trial.getFloat("accuracy_upper"));
        JsonPath detail = Fixtures.sweep(sweep);
        assertEquals(Set.of("none", "fine_tune"), new TreeSet<>(detail.<String>getList("trials.training")));
        assertTrue(detail.<String>getList("trials.setting").contains("avg_pool f=4 stage=0"));
    }

    @Test
    void theResultsPageRendersIntervalsFrontsAndTheSpreadAcrossSeedsInHeadlessChromium() throws Exception {
        assumeTrue(onPath("chromium"), "chromium is not installed (apt-get install chromium)");
        handMadeSweep();
        String page = "http://127.0.0.1:" + RestAssured.port + "/#/sweeps/" + sweep;

        String tokens = section(dom(page), "id=\"plot-pareto\"", "</figure>");
        assertEquals(8, count(tokens, "class=\"error-bar\""), "an error bar per trial:\n" + tokens);
        assertEquals(2, count(tokens, "class=\"front\""), "the tokens front is ringed:\n" + tokens);
        assertEquals(4, count(tokens, "class=\"point training-free\""), tokens);
        assertEquals(4, count(tokens, "class=\"point fine-tuned\""), tokens);
        assertTrue(tokens.contains("stroke-dasharray"), "training-free curves are dashed");
        assertEquals(1, count(tokens, "class=\"front-line\""), tokens);
        for (String curve : List.of("avg_pool", "avg_pool (training-free)", "none", "none (training-free)")) {
            assertTrue(tokens.contains(">" + curve + "</text>"), "a curve per method and training: " + curve);
        }

        String html = dom(page + "?cost=latency");
        Path screenshot = Path.of("target", "results-page", "latency.png").toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        chromium("--screenshot=" + screenshot, "--window-size=1400,1800", page + "?cost=latency");
        assertTrue(Files.size(screenshot) > 20_000, "a screenshot with content (target/results-page/latency.png)");
        String latency = section(html, "id=\"plot-pareto\"", "</figure>");
        assertEquals(7, count(latency, "class=\"error-bar\""), "the trial without latency is left out:\n" + latency);
        assertEquals(4, count(latency, "class=\"front\""), latency);
        assertTrue(latency.contains("prefill latency per batch (ms)"), latency);

        String leaderboard = section(html, "id=\"leaderboard\"", "</table>");
        assertEquals(8, count(leaderboard.substring(leaderboard.indexOf("<tbody")), "<tr"), leaderboard);
        assertTrue(leaderboard.contains("70.00 [68.00, 72.00]"), "accuracy with its interval:\n" + leaderboard);
        assertTrue(leaderboard.contains("-10.00 [-14.00, -6.00]"), "difference with its interval:\n" + leaderboard);
        assertTrue(leaderboard.contains("class=\"significant\""), leaderboard);
        assertTrue(leaderboard.contains(ReferenceComparison.NO_REFERENCE), leaderboard);
        assertTrue(leaderboard.contains("avg_pool f=4 stage=0"), leaderboard);
        String seeds = section(html, "id=\"seeds\"", "</table>");
        assertEquals(4, count(seeds.substring(seeds.indexOf("<tbody")), "<tr"), "four settings, two seeds each");
        assertTrue(seeds.contains("71.00") && seeds.contains("1.41"), seeds);
    }

    /** Submits the sweep once and plays the worker and the evaluator for all eight trials. */
    private synchronized void handMadeSweep() {
        if (sweep != null) {
            return;
        }
        String model = Fixtures.unique("stats");
        Fixtures.model(store, model, 3, 128); // 16 grid tokens: none keeps 17, avg_pool f=4 keeps 5
        Fixtures.subset(store, "synth-vqa", "10pct", "5a7f00d2");
        String yaml = "name: stats\nmodel: " + model + "\ndataset: {name: synth-vqa, subset: 10pct}\n"
                + "grid: {mode: [none, avg_pool], factor: [4], training: [none, fine_tune]}\nseeds: [0, 1]\n";
        sweep = Fixtures.submit(yaml).getString("id");
        JsonPath detail = Fixtures.sweep(sweep);
        for (Map<String, Object> t : detail.<Map<String, Object>>getList("trials")) {
            String name = ("none".equals(t.get("training")) ? "free-" : "ft-")
                    + ("none".equals(t.get("mode")) ? "none-" : "avg4-")
                    + t.get("seed");
            ids.put(name, (String) t.get("id"));
        }
        assertEquals(8, ids.size(), ids.toString());
        try (EventSender sender = new EventSender()) {
            report(sender, "ft-none-0", 17, 10, 40.0, 80, comparison(null, 0, 0, 0));
            report(sender, "ft-avg4-0", 5, 5, 20.0, 70, comparison("ft-none-0", -10, -14, -6));
            report(sender, "free-none-0", 17, 10, 30.0, 60, comparison(null, 0, 0, 0));
            report(sender, "free-avg4-0", 5, 5, 10.0, 40, comparison("free-none-0", -20, -25, -15));
            report(sender, "ft-none-1", 17, 10, null, 78, comparison(null, 0, 0, 0));
            report(
                    sender,
                    "ft-avg4-1",
                    5,
                    5,
                    25.0,
                    72,
                    new ReferenceComparison("0123456789abcdef", -6, -9, -3, true, 300));
            report(sender, "free-none-1", 17, 10, 30.0, 61, comparison(null, 0, 0, 0));
            report(sender, "free-avg4-1", 5, 5, 12.0, 39, null);
        }
        Eventually.assertThat(() -> assertEquals(
                8,
                RestAssured.given()
                        .get("/sweeps/" + sweep + "/results")
                        .jsonPath()
                        .getInt("evaluated")));
        Eventually.assertThat(() -> assertTrue(
                RestAssured.given()
                        .get("/sweeps/" + sweep + "/results")
                        .jsonPath()
                        .<Object>getList("results.cost")
                        .stream()
                        .allMatch(java.util.Objects::nonNull)));
    }

    /** The comparison with the named reference; null name: the trial is its own reference. */
    private ReferenceComparison comparison(String reference, double difference, double lower, double upper) {
        return reference == null
                ? null
                : new ReferenceComparison(ids.get(reference), difference, lower, upper, upper < 0 || lower > 0, 300);
    }

    /** The worker's completed event with the cost, then the evaluator's verdict. */
    private void report(
            EventSender sender,
            String name,
            int tokens,
            double gflops,
            Double latencyMs,
            double accuracy,
            ReferenceComparison comparison) {
        String id = ids.get(name);
        TrialCost cost = new TrialCost(
                tokens,
                11.5,
                new TrialCost.Gflops(gflops / 2, gflops / 2 - 0.25, 0.25, 0.1, gflops),
                latencyMs == null ? null : new TrialCost.Latency(latencyMs, 2.5, 16, 4, "cpu()", "fp32"));
        sender.send(
                Topics.TRIAL_EVENTS,
                id,
                new TrialEvent.Completed(id, 1, AT, "s3://vtc/predictions/" + id, 0.5, 10, 5, cost));
        boolean reference = name.contains("none");
        String note = comparison != null
                ? null
                : reference ? ReferenceComparison.IS_REFERENCE : ReferenceComparison.NO_REFERENCE;
        sender.send(
                Topics.EVALUATIONS,
                id,
                new EvaluationEvent.Completed(
                        id,
                        sweep,
                        AT,
                        accuracy,
                        Map.of("other", accuracy),
                        Map.of(),
                        300,
                        accuracy - 2,
                        accuracy + 2,
                        comparison,
                        note));
    }

    private String name(String trialId) {
        return ids.entrySet().stream()
                .filter(e -> e.getValue().equals(trialId))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
    }

    private Set<String> onFront(Map<String, Map<String, Object>> rows, String axis) {
        Set<String> front = new TreeSet<>();
        rows.forEach((name, row) -> {
            if (Boolean.TRUE.equals(((Map<?, ?>) row.get("on_front")).get(axis))) {
                front.add(name);
            }
        });
        return front;
    }

    /** The page's DOM after its scripts ran. */
    static String dom(String url) throws IOException, InterruptedException {
        return chromium("--dump-dom", url);
    }

    /**
     * Headless Chromium from Debian's package, its standard output; --virtual-time-budget lets the page's fetches and
     * scripts finish.
     */
    private static String chromium(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("results-page", ".html");
        List<String> command = new java.util.ArrayList<>(List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--virtual-time-budget=10000",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile")));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "chromium finished: " + command);
        assertEquals(0, p.exitValue(), "chromium's exit code: " + command);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** From {@code marker} to the next {@code end}. */
    private static String section(String html, String marker, String end) {
        int start = html.indexOf(marker);
        assertTrue(start >= 0, marker + " is not in the rendered page:\n" + html);
        int stop = html.indexOf(end, start);
        return html.substring(start, stop < 0 ? html.length() : stop);
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
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
