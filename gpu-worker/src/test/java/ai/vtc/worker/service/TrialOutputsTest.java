package ai.vtc.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.DatasetRef;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.Training;
import ai.vtc.contracts.TrialCost;
import ai.vtc.contracts.TrialEvent;
import ai.vtc.contracts.TrialIds;
import ai.vtc.contracts.TrialMetrics;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.contracts.TrialSpec;
import ai.vtc.florence2.train.Example;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaResult;
import ai.vtc.vqa.VqaResults;
import ai.vtc.worker.TestWorker;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A trial's outputs on the real S3 server: the formats the evaluator and a re-delivery read back, in their order. */
class TrialOutputsTest {
    private final ObjectStore store = TestWorker.objectStore();
    private final List<Object> reported = new ArrayList<>();
    private final TrialOutputs outputs =
            new TrialOutputs(store, new Recording(), new TestWorker.Config("worker-t", Path.of("target/outputs-test")));

    private final List<Example> questions = List.of(
            new Example(30, Path.of("c.jpg"), "what color?", null),
            new Example(10, Path.of("a.jpg"), "how many \"dogs\"?", null),
            new Example(20, Path.of("a.jpg"), "is it raining?", null));
    private final Map<Long, String> answers = Map.of(10L, "2", 20L, "no", 30L, "red and ünicode");

    private TrialRequested trial(String sweep, int attempt) {
        TrialSpec spec = new TrialSpec(
                "model-" + UUID.randomUUID(),
                new DatasetRef("d", "all", "val", "h"),
                new Compression("avg_pool", 2, 0, false),
                null,
                null,
                7);
        return new TrialRequested(sweep, TrialIds.of(spec), spec, "h", attempt);
    }

    private TrialInputs.Prepared prepared() {
        return new TrialInputs.Prepared(Path.of("model"), List.of(), questions, 145);
    }

    @Test
    void predictionsTheEvaluatorReadsThenMetricsThenDoneThenTheAnnouncements() throws Exception {
        TrialRequested trial = trial("s1", 1);
        String id = trial.trialId();
        assertFalse(outputs.isDone(id));

        outputs.complete(trial, prepared(), new TrialRunner.Result.Finished(answers, 1.25, 4, COST), 12.5);

        assertTrue(outputs.isDone(id));
        assertEquals(
                List.of(
                        "predictions/" + id + "/_DONE",
                        "predictions/" + id + "/metrics.json",
                        "predictions/" + id + "/predictions.json"),
                store.list("predictions/" + id + "/"));
        byte[] stored = store.get(Keys.predictions(id));
        // the evaluator's reader (Scorer reads the object's stream with VqaResults.read)
        VqaResults read = VqaResults.read(new ByteArrayInputStream(stored), store.uri(Keys.predictions(id)));
        assertEquals(
                List.of(new VqaResult(30, "red and ünicode"), new VqaResult(10, "2"), new VqaResult(20, "no")),
                read.asList());
        assertEquals(
                Json.mapper().readTree(handWritten().toString()),
                Json.mapper().readTree(stored),
                "the same JSON as the worker wrote by hand before");

        PredictionsReady ready = PredictionsReady.of(trial, store.uri(Keys.predictions(id)), 145, COST);
        assertEquals(Training.of(trial.spec()), ready.training());
        assertEquals(COST, ready.cost());
        TrialMetrics metrics = Json.read(
                new String(store.get(Keys.predictionMetrics(id)), StandardCharsets.UTF_8), TrialMetrics.class);
        assertEquals(new TrialMetrics(id, "s1", 4, 1.25, 3, 145, "worker-t", ready), metrics);

        assertEquals(2, reported.size(), reported.toString());
        assertEquals(ready, reported.get(0));
        TrialEvent.Completed completed = assertInstanceOf(TrialEvent.Completed.class, reported.get(1));
        assertEquals(ready.predictionsUri(), completed.predictionsUri());
        assertEquals(1.25, completed.finalLoss());
        assertEquals(4, completed.steps());
        assertEquals(12.5, completed.seconds());
        assertEquals(COST, completed.cost(), "the setting's cost travels with the completed event");
    }

    /** What a finished run measured: analytic GFLOPs and latencies. */
    private static final TrialCost COST = new TrialCost(
            145,
            9.5,
            new TrialCost.Gflops(3.1, 0.4, 0.02, 0.01, 3.52),
            new TrialCost.Latency(41.0, 3.5, 8, 2, "cpu()", "fp32"));

    /** {@code [{"question_id": .., "answer": ..}]} in question order, as the worker built it before VqaResults. */
    private ArrayNode handWritten() {
        ArrayNode results = Json.mapper().createArrayNode();
        for (Example q : questions) {
            results.addObject().put("question_id", q.questionId()).put("answer", answers.get(q.questionId()));
        }
        return results;
    }

    @Test
    void aDoneTrialIsAnnouncedAgainFromItsMetricsForTheNewDelivery() {
        TrialRequested first = trial("s1", 1);
        outputs.complete(first, prepared(), new TrialRunner.Result.Finished(answers, null, 0, COST), 3);
        reported.clear();

        TrialRequested again = new TrialRequested("s2", first.trialId(), first.spec(), "h", 2);
        outputs.reannounce(again);

        assertEquals(2, reported.size(), reported.toString());
        PredictionsReady ready = assertInstanceOf(PredictionsReady.class, reported.get(0));
        assertEquals("s2", ready.sweepId());
        assertEquals(store.uri(Keys.predictions(first.trialId())), ready.predictionsUri());
        assertEquals(145, ready.visualTokens());
        assertEquals(COST, ready.cost(), "the stored cost is announced again");
        assertEquals(
                PredictionsReady.of(first, ready.predictionsUri(), 145, COST).forSweep("s2"), ready, "every field");
        TrialEvent.Completed completed = assertInstanceOf(TrialEvent.Completed.class, reported.get(1));
        assertEquals(2, completed.attempt());
        assertEquals(COST, completed.cost());
        assertEquals(null, completed.finalLoss(), "no step ran, no loss");
        assertEquals(0, completed.steps());
    }

    @Test
    void aMissingAnswerFailsForGoodAndStoresNothing() {
        TrialRequested trial = trial("s1", 1);
        TrialFailure failure = assertThrows(
                TrialFailure.class,
                () -> outputs.complete(
                        trial,
                        prepared(),
                        new TrialRunner.Result.Finished(Map.of(10L, "2", 20L, "no"), 1.0, 4, null),
                        1));
        assertEquals("the runner gave no answer for question 30", failure.getMessage());
        assertFalse(failure.retryable());
        assertEquals(List.of(), store.list("predictions/" + trial.trialId() + "/"));
        assertEquals(List.of(), reported);
    }

    @Test
    void unreadableMetricsOfADoneTrialFailForGood() {
        TrialRequested broken = trial("s1", 1);
        store.put(
                Keys.predictionMetrics(broken.trialId()),
                "{truncated".getBytes(StandardCharsets.UTF_8),
                "application/json");
        TrialFailure failure = assertThrows(TrialFailure.class, () -> outputs.reannounce(broken));
        assertTrue(failure.getMessage().contains("unreadable metrics.json"), failure.getMessage());
        assertFalse(failure.retryable());

        TrialRequested withoutReady = trial("s1", 1);
        store.put(
                Keys.predictionMetrics(withoutReady.trialId()),
                "{\"steps\": 4}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        failure = assertThrows(TrialFailure.class, () -> outputs.reannounce(withoutReady));
        assertTrue(failure.getMessage().contains("no \"ready\" message"), failure.getMessage());
        assertEquals(List.of(), reported);
    }

    /** Keeps what the outputs report, in order. */
    private final class Recording implements EventSink {
        @Override
        public void event(TrialEvent event) {
            reported.add(event);
        }

        @Override
        public void predictionsReady(PredictionsReady ready) {
            reported.add(ready);
        }

        @Override
        public void deadLetter(String key, String value, String reason, String sourceTopic) {
            reported.add("dead letter " + key);
        }
    }
}
