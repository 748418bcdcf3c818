package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dataset's task in sweeps, manifests and messages; everything written before tasks existed reads as VQA. */
class DatasetTaskTest {
    @Test
    void aDocVqaSweepCarriesItsTaskToEveryTrialAndPromptsWithDocVqa() {
        SweepSpec spec = SweepSpecs.parse(
                        "name: n\nmodel: m\ndataset: {name: docs, subset: s, task: docvqa}\ngrid: {mode: [none]}\n")
                .orThrow();
        assertEquals(DatasetTask.DOCVQA, spec.dataset().task());
        assertEquals("<DocVQA>{question}", spec.eval().prompt());
        SweepExpansion.Trial trial = SweepExpansion.expand(spec, "h").get(0);
        assertEquals(DatasetTask.DOCVQA, trial.spec().dataset().task());
        assertTrue(trial.canonicalJson().contains("\"task\":\"docvqa\""), trial.canonicalJson());
        assertEquals("anls", DatasetTask.DOCVQA.metric());
    }

    @Test
    void theExampleDocVqaSweepParses() throws Exception {
        SweepSpec spec = SweepSpecs.parse(
                        java.nio.file.Files.readString(java.nio.file.Path.of("../examples/docvqa-sweep.yaml")))
                .orThrow();
        assertEquals(DatasetTask.DOCVQA, spec.dataset().task());
        assertEquals("<DocVQA>{question}", spec.eval().prompt());
        assertEquals(10, SweepExpansion.expand(spec, "h").size());
    }

    @Test
    void aSweepWithoutTaskIsAsBeforeAndAnUnknownTaskIsAProblem() {
        SweepSpec spec = SweepSpecs.parse("name: n\nmodel: m\ndataset: {name: d, subset: s}\ngrid: {mode: [none]}\n")
                .orThrow();
        assertNull(spec.dataset().task());
        assertEquals(SpecDefaults.PROMPT, spec.eval().prompt());
        var problems = SweepSpecs.parse(
                        "name: n\nmodel: m\ndataset: {name: d, subset: s, task: ocr}\ngrid: {mode: [none]}\n")
                .problems();
        assertTrue(
                problems.stream()
                        .anyMatch(p ->
                                p.path().equals("dataset.task") && p.message().contains("docvqa")),
                problems.toString());
    }

    @Test
    void oldManifestsAndEventsReadAsVqa() throws Exception {
        DatasetManifest old = Json.mapper()
                .readValue(
                        "{\"name\":\"d\",\"splits\":{},\"source\":\"x\",\"created_at\":\"2026-01-01T00:00:00Z\"}",
                        DatasetManifest.class);
        assertNull(old.task());
        assertEquals(DatasetTask.VQA, old.datasetTask());
        DatasetManifest docs = new DatasetManifest("d", Map.of(), "x", Instant.EPOCH, DatasetTask.DOCVQA);
        assertEquals(
                DatasetTask.DOCVQA,
                Json.mapper()
                        .readValue(Json.mapper().writeValueAsString(docs), DatasetManifest.class)
                        .datasetTask());
        EvaluationEvent.Completed event = (EvaluationEvent.Completed) Json.mapper()
                .readValue(
                        "{\"type\":\"completed\",\"trial_id\":\"t\",\"sweep_id\":\"s\",\"at\":\"2026-01-01T00:00:00Z\","
                                + "\"overall\":50.0,\"questions\":3}",
                        EvaluationEvent.class);
        assertEquals("vqa_accuracy", event.metricName());
        assertNull(Json.mapper()
                .readValue("{\"name\":\"d\",\"subset\":\"s\"}", DatasetRef.class)
                .task());
    }
}
