package ai.vtc.system;

import static ai.vtc.system.SystemStack.countOf;
import static ai.vtc.system.SystemStack.rows;
import static ai.vtc.system.SystemStack.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.system.SystemStack.Run;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The two example sweeps of issue 22 on the real stack with the packaged services: {@code examples/lora-sweep.yaml}
 * through {@code sweep demo} (which makes its synthetic VQA set and pretrains its tiny model) and
 * {@code examples/docvqa-sweep.yaml} through {@code sweep submit} after the dataset request of its header and the
 * demo's model uploaded under the example's model name. Every trial completes and is evaluated with its task's metric
 * (VQA accuracy, ANLS), the LoRA trials' checkpoints are PEFT adapter folders with the example's LoRA settings, the
 * fine-tuned trials stored the samples they took while training, and the results page shows those samples.
 *
 * <p>By default the sweeps run on tiny data with few steps: each is a copy of its example in which only the training
 * sizes of {@link #LORA_TINY} and {@link #DOCVQA_TINY} are replaced (checked: everything else is the example's), a few
 * minutes in all. With {@code -Dexamples.full=true} (see README.md, "LoRA fine-tuning") the examples run unchanged,
 * on the demo's default data and pretraining and the header's dataset request, and the test prints the measured
 * result table of each (in {@code target/examples-full/}; about half an hour on 2 cores).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesTest {
    private static final Path ROOT = SystemStack.ROOT;
    private static final boolean FULL = Boolean.getBoolean("examples.full");
    private static final Path DIR =
            ROOT.resolve(FULL ? "system-tests/target/examples-full" : "system-tests/target/examples");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The only settings the quick run changes in examples/lora-sweep.yaml: its training sizes. */
    static final Map<String, Object> LORA_TINY =
            Map.of("max_steps", 4, "batch_size", 4, "checkpoint_every_steps", 2, "sample_every_n_steps", 2);
    /** The only settings the quick run changes in examples/docvqa-sweep.yaml: its training sizes. */
    static final Map<String, Object> DOCVQA_TINY = Map.of("max_steps", 4, "batch_size", 4, "sample_every_n_steps", 2);
    /** Questions of the synthetic DocVQA set in the quick run (the header asks for 2,000). */
    private static final int TINY_DOCVQA_QUESTIONS = 200;

    private SystemStack stack;
    private final StringBuilder report = new StringBuilder();

    @BeforeAll
    void start() throws IOException {
        stack = SystemStack.start(DIR);
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
        System.out.println(report);
    }

    @Test
    void theLoraAndDocVqaExamplesRunToEvaluatedTrialsWithAdaptersSamplesAndTheResultsPage() throws Exception {
        report.append(String.format(
                Locale.ROOT,
                "%n== examples (%s): %s, %d cores, load average at start %s%n",
                FULL ? "as in examples/, -Dexamples.full=true" : "quick: training sizes replaced",
                cpu(),
                Runtime.getRuntime().availableProcessors(),
                loadAverage()));
        String scheduler = stack.url("scheduler");

        // LoRA with compression on the demo's synthetic VQA set, as its header runs it: sweep demo --file
        Path loraExample = ROOT.resolve("examples/lora-sweep.yaml");
        Path lora = derived(loraExample, FULL ? Map.of() : LORA_TINY);
        List<String> demo = new ArrayList<>(List.of(
                "demo",
                "--url",
                scheduler,
                "--file",
                lora.toString(),
                "--stack-dir",
                stack.dataDir().toString(),
                "--repo",
                ROOT.toString(),
                "--interval",
                FULL ? "10" : "1",
                "--timeout",
                FULL ? "PT2H" : "PT15M"));
        if (!FULL) {
            demo.addAll(SystemStack.TINY_DEMO_DATA);
            demo.addAll(List.of("--pretrain-phase", SystemStack.TINY_PRETRAINING));
        }
        long started = System.nanoTime();
        Run run = stack.sweep(FULL ? 150 : 20, demo.toArray(String[]::new));
        assertEquals(0, run.code(), "sweep demo --file lora-sweep.yaml failed:\n" + run.output());
        Matcher submitted =
                Pattern.compile("sweep (s-[A-Za-z0-9-]+): (\\d+) trials").matcher(run.output());
        assertTrue(submitted.find(), run.output());
        String loraId = submitted.group(1);
        JsonNode loraSpec = YAML.readTree(lora.toFile());
        JsonNode loraResults = completedAndEvaluated(scheduler, loraId, "vqa_accuracy", 1);
        record(loraId, "examples/lora-sweep.yaml", loraResults, started);
        List<JsonNode> loraTuned = fineTuned(scheduler, loraId);
        assertFalse(loraTuned.isEmpty(), "the LoRA example fine-tunes");
        for (JsonNode trial : loraTuned) {
            assertPeftCheckpoints(scheduler, trial);
        }
        assertAdapterConfig(scheduler, loraTuned.get(0).path("id").asText(), loraSpec.at("/train/lora"));
        int loraSamples = assertSamples(scheduler, loraTuned, loraSpec.at("/train"));
        assertSamplesOnThePage(scheduler, loraId, loraSamples, "examples/lora-sweep.yaml");

        // synthetic DocVQA: the dataset request of the example's header, the demo's model under the example's name
        Path docvqaExample = ROOT.resolve("examples/docvqa-sweep.yaml");
        Path docvqa = derived(docvqaExample, FULL ? Map.of() : DOCVQA_TINY);
        JsonNode docvqaSpec = YAML.readTree(docvqa.toFile());
        started = System.nanoTime();
        ObjectNode request = headerRequest(docvqaExample);
        assertEquals(
                docvqaSpec.at("/dataset/name").asText(), request.path("name").asText(), "the header makes the dataset");
        if (!FULL) {
            request.put("questions", TINY_DOCVQA_QUESTIONS);
        }
        String datasets = stack.url("dataset-service");
        JsonNode job = stack.post(datasets + "/datasets/synthetic-docvqa", JSON.writeValueAsString(request), 202);
        awaitJob(datasets, job.path("id").asText());
        Path model = stack.dataDir()
                .resolve("demo/models")
                .resolve(loraSpec.path("model").asText());
        Run upload = stack.sweep(
                "models",
                "upload",
                model.toString(),
                "--name",
                docvqaSpec.path("model").asText(),
                "--url",
                scheduler);
        assertEquals(0, upload.code(), upload.output());
        Run submit = stack.sweep("submit", "--url", scheduler, docvqa.toString());
        assertEquals(0, submit.code(), submit.output());
        Matcher accepted = Pattern.compile("sweep (s-[A-Za-z0-9-]+) 'docvqa-pooling' accepted: (\\d+) trials")
                .matcher(submit.output());
        assertTrue(accepted.find(), submit.output());
        String docvqaId = accepted.group(1);
        JsonNode docvqaResults = completedAndEvaluated(scheduler, docvqaId, "anls", FULL ? 120 : 15);
        record(docvqaId, "examples/docvqa-sweep.yaml", docvqaResults, started);
        String metrics = stack.text(stack.url("evaluator") + "/q/metrics");
        long anlsSeries = metrics.lines()
                .filter(l -> l.startsWith("vqa_anls{") && l.contains("sweep=\"" + docvqaId + "\""))
                .filter(l -> l.contains("answer_type=\"all\""))
                .count();
        assertEquals(docvqaResults.path("results").size(), anlsSeries, "one vqa_anls series per trial:\n" + metrics);
        List<JsonNode> docvqaTuned = fineTuned(scheduler, docvqaId);
        int docvqaSamples = assertSamples(scheduler, docvqaTuned, docvqaSpec.at("/train"));
        String page = assertSamplesOnThePage(scheduler, docvqaId, docvqaSamples, "examples/docvqa-sweep.yaml");
        assertTrue(page.contains("ANLS x 100"), "a DocVQA sweep's page names its metric");
    }

    /**
     * Writes the example with {@code train} settings replaced by {@code overrides} (each must exist in the example)
     * to {@code DIR}, and checks that the copy differs from the example in those settings only.
     */
    private static Path derived(Path example, Map<String, Object> overrides) throws IOException {
        JsonNode original = YAML.readTree(example.toFile());
        ObjectNode copy = original.deepCopy();
        ObjectNode train = (ObjectNode) copy.path("train");
        for (Map.Entry<String, Object> o : overrides.entrySet()) {
            assertTrue(train.has(o.getKey()), example + " has no train." + o.getKey() + " to replace");
            train.set(o.getKey(), JSON.valueToTree(o.getValue()));
        }
        Path file = DIR.resolve(example.getFileName());
        YAML.writeValue(file.toFile(), copy);
        JsonNode written = YAML.readTree(file.toFile());
        ObjectNode a = original.deepCopy();
        ObjectNode b = written.deepCopy();
        ((ObjectNode) a.path("train")).remove(overrides.keySet());
        ((ObjectNode) b.path("train")).remove(overrides.keySet());
        assertEquals(a, b, "the test's copy of " + example + " differs from it only in " + overrides.keySet());
        return file;
    }

    /** The JSON body of the {@code curl ... -d '{...}'} in the example's header (how it makes its dataset). */
    private static ObjectNode headerRequest(Path example) throws IOException {
        StringBuilder header = new StringBuilder();
        for (String line : Files.readAllLines(example)) {
            if (line.startsWith("#")) {
                header.append(line.substring(1)).append('\n');
            }
        }
        Matcher body = Pattern.compile("-d '(\\{[^']*\\})'").matcher(header);
        assertTrue(body.find(), example + " names the dataset request in its header");
        return (ObjectNode) JSON.readTree(body.group(1));
    }

    private void awaitJob(String datasets, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(FULL ? 30 : 5);
        while (true) {
            JsonNode job = stack.get(datasets + "/datasets/jobs/" + id + "?wait=5");
            String state = job.path("state").asText();
            if (state.equals("succeeded")) {
                return;
            }
            assertFalse(state.equals("failed"), "the dataset job failed: " + job);
            assertTrue(System.nanoTime() < deadline, "the dataset job did not finish: " + job);
        }
    }

    /** Waits until the sweep is no longer running, then: completed, every trial completed and scored with metric. */
    private JsonNode completedAndEvaluated(String scheduler, String id, String metric, int minutes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        while (true) {
            JsonNode sweep = stack.get(scheduler + "/sweeps/" + id);
            JsonNode results = stack.get(scheduler + "/sweeps/" + id + "/results");
            int trials = sweep.path("trials").size();
            if (!"running".equals(sweep.path("status").asText())
                    && results.path("evaluated").asInt() == trials) {
                assertEquals("completed", sweep.path("status").asText(), sweep.toString());
                for (JsonNode trial : sweep.path("trials")) {
                    assertEquals("completed", trial.path("status").asText(), trial.toString());
                }
                assertEquals(trials, results.path("results").size(), results.toString());
                for (JsonNode row : results.path("results")) {
                    assertEquals(metric, row.path("metric").asText(), row.toString());
                    assertTrue(row.path("accuracy").isNumber(), row.toString());
                }
                return results;
            }
            assertTrue(
                    System.nanoTime() < deadline, "sweep " + id + " did not finish in " + minutes + " min: " + sweep);
            Thread.sleep(2000);
        }
    }

    private List<JsonNode> fineTuned(String scheduler, String id) throws Exception {
        List<JsonNode> tuned = new ArrayList<>();
        for (JsonNode trial : stack.get(scheduler + "/sweeps/" + id).path("trials")) {
            if (!"none".equals(trial.path("training").asText())) {
                tuned.add(trial);
            }
        }
        return tuned;
    }

    /** Every complete checkpoint of a LoRA trial is a PEFT folder: adapter_config.json, adapter_model.safetensors. */
    private void assertPeftCheckpoints(String scheduler, JsonNode trial) throws Exception {
        String id = trial.path("id").asText();
        JsonNode checkpoints =
                stack.get(scheduler + "/trials/" + id + "/checkpoints").path("checkpoints");
        assertFalse(checkpoints.isEmpty(), "a fine-tuned LoRA trial stores checkpoints: " + trial);
        for (JsonNode step : checkpoints) {
            List<String> names = new ArrayList<>();
            step.path("files").forEach(f -> names.add(f.path("name").asText()));
            assertTrue(
                    names.contains("adapter_config.json") && names.contains("adapter_model.safetensors"),
                    id + " step " + step.path("step") + " is a PEFT adapter folder: " + names);
        }
    }

    /** The newest checkpoint downloaded: its adapter_config.json has the example's rank, alpha, dropout and modules. */
    private void assertAdapterConfig(String scheduler, String trial, JsonNode lora) throws Exception {
        Path downloads = DIR.resolve("downloads");
        Run fetch = stack.sweep("checkpoints", "--url", scheduler, trial, "--download", downloads.toString());
        assertEquals(0, fetch.code(), fetch.output());
        assertTrue(
                fetch.output().contains(" merge --model "),
                "a LoRA checkpoint is merged before use:\n" + fetch.output());
        Path step;
        try (var steps = Files.list(downloads.resolve(trial))) {
            step = steps.findFirst().orElseThrow();
        }
        JsonNode config = JSON.readTree(step.resolve("adapter_config.json").toFile());
        assertEquals("LORA", config.path("peft_type").asText(), config.toString());
        assertEquals(lora.path("rank").asInt(), config.path("r").asInt(), config.toString());
        assertEquals(lora.path("alpha").asDouble(), config.path("lora_alpha").asDouble(), config.toString());
        assertEquals(
                lora.path("dropout").asDouble(), config.path("lora_dropout").asDouble(), 1e-9, config.toString());
        List<String> modules = new ArrayList<>();
        config.path("target_modules").forEach(m -> modules.add(m.asText()));
        assertEquals(
                List.of(lora.path("target_modules").asText().split(" ")).stream()
                        .sorted()
                        .toList(),
                modules.stream().sorted().toList(),
                config.toString());
        assertTrue(Files.size(step.resolve("adapter_model.safetensors")) > 1_000, "adapter weights stored");
    }

    /**
     * Every fine-tuned trial stored its samples at every sample_every_n_steps step (and no other), each with the
     * question, the reference and the generated answer. Returns how many there are in all.
     */
    private int assertSamples(String scheduler, List<JsonNode> trials, JsonNode train) throws Exception {
        int every = train.path("sample_every_n_steps").asInt();
        int steps = train.path("max_steps").asInt();
        assertTrue(every > 0, "the example samples while training: " + train);
        int total = 0;
        for (JsonNode trial : trials) {
            JsonNode samples =
                    stack.get(scheduler + "/trials/" + trial.path("id").asText() + "/samples");
            assertFalse(samples.isEmpty(), "samples of " + trial);
            Set<Integer> sampled = new TreeSet<>();
            for (JsonNode s : samples) {
                sampled.add(s.path("step").asInt());
                assertFalse(s.path("question").asText().isBlank(), s.toString());
                assertTrue(s.path("target").isTextual() && s.path("answer").isTextual(), s.toString());
            }
            Set<Integer> expected = new TreeSet<>();
            for (int step = every; step <= steps; step += every) {
                expected.add(step);
            }
            assertEquals(
                    expected, sampled, "sampled steps of " + trial.path("id").asText());
            total += samples.size();
        }
        return total;
    }

    /** The results page rendered by headless Chromium lists every sample, with a question and answer of the API. */
    private String assertSamplesOnThePage(String scheduler, String id, int samples, String what) throws Exception {
        String html = stack.renderedPage(scheduler + "/#/sweeps/" + id);
        String table = section(html, "id=\"samples\"");
        assertEquals(samples, rows(table), what + ": a row per sample on the results page:\n" + html);
        String trial = fineTuned(scheduler, id).get(0).path("id").asText();
        JsonNode last = lastOf(stack.get(scheduler + "/trials/" + trial + "/samples"));
        assertTrue(table.contains(">" + escaped(last.path("question").asText()) + "<"), "the question:\n" + table);
        assertTrue(table.contains(">" + escaped(last.path("answer").asText()) + "<"), "the answer:\n" + table);
        assertTrue(countOf(table, "sample-answer") == samples, "every sample has its generated answer");
        return html;
    }

    private static JsonNode lastOf(JsonNode array) {
        return array.get(array.size() - 1);
    }

    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Adds the sweep's result table (setting, training, tokens, metric with interval and delta) to the report. */
    private void record(String id, String file, JsonNode results, long started) {
        double minutes = (System.nanoTime() - started) / 60e9;
        report.append(String.format(
                Locale.ROOT,
                "%n%s (sweep %s): %.1f min wall time, load average now %s%n",
                file,
                id,
                minutes,
                loadAverage()));
        report.append("| setting | training | tokens | metric | value [95% CI] | vs none [95% CI] |\n");
        report.append("|---|---|---|---|---|---|\n");
        List<JsonNode> sorted = new ArrayList<>();
        results.path("results").forEach(sorted::add);
        sorted.sort((a, b) -> Integer.compare(
                b.path("visual_tokens").asInt(), a.path("visual_tokens").asInt()));
        for (JsonNode r : sorted) {
            JsonNode c = r.path("comparison");
            report.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %s | %.2f [%.2f, %.2f] | %s |%n",
                    r.path("setting").asText(),
                    r.path("training").asText(),
                    r.path("visual_tokens").asInt(),
                    r.path("metric").asText(),
                    r.path("accuracy").asDouble(),
                    r.path("accuracy_lower").asDouble(),
                    r.path("accuracy_upper").asDouble(),
                    c.isObject()
                            ? String.format(
                                    Locale.ROOT,
                                    "%+.2f [%+.2f, %+.2f]%s",
                                    c.path("difference").asDouble(),
                                    c.path("lower").asDouble(),
                                    c.path("upper").asDouble(),
                                    c.path("significant").asBoolean() ? " *" : "")
                            : ""));
        }
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("CPU unknown");
        } catch (IOException e) {
            return "CPU unknown";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return String.format(
                    Locale.ROOT,
                    "%.2f",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
