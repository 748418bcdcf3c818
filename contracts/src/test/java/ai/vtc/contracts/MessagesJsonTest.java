package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagesJsonTest {
    private static final Instant AT = Instant.parse("2026-11-23T10:15:30Z");

    @Test
    void trialEventsRoundTripWithTheirTypeName() {
        TrialEvent progress = new TrialEvent.Progress("t1", 2, AT, "train", 10, 100, 1.25, 7.5, 90);
        String json = Json.write(progress);
        assertTrue(json.contains("\"type\":\"progress\""), json);
        assertTrue(json.contains("\"samples_per_second\":7.5"), json);
        assertTrue(json.contains("\"at\":\"2026-11-23T10:15:30Z\""), json);
        assertEquals(progress, Json.read(json, TrialEvent.class));

        TrialEvent failed = Json.read(
                "{\"type\":\"failed\",\"trial_id\":\"t1\",\"attempt\":1,\"at\":\"2026-11-23T10:15:30Z\","
                        + "\"reason\":\"out of memory\",\"retryable\":true,\"added_later\":1}",
                TrialEvent.class);
        assertInstanceOf(TrialEvent.Failed.class, failed);
        assertEquals(new TrialEvent.Failed("t1", 1, AT, "out of memory", true), failed);
    }

    @Test
    void evaluationEventsRoundTrip() {
        EvaluationEvent done = new EvaluationEvent.Completed(
                "t1", "s1", AT, 61.5, Map.of("yes/no", 80.0), Map.of("how many", 40.25), 200);
        assertEquals(done, Json.read(Json.write(done), EvaluationEvent.class));
        EvaluationEvent failed = new EvaluationEvent.Failed("t1", "s1", AT, "missing question ids [1, 2]");
        assertEquals(failed, Json.read(Json.write(failed), EvaluationEvent.class));
    }

    @Test
    void trialRequestedUsesSnakeCase() {
        TrialRequested request = new TrialRequested(
                "s1",
                "t1",
                new TrialSpec("m", new DatasetRef("d", "1pct", "val", "h"), Compression.none(), null, null, 3),
                "h",
                1);
        String json = Json.write(request);
        assertTrue(json.contains("\"dataset_manifest_sha256\":\"h\""), json);
        assertTrue(json.contains("\"eval_split\":\"val\""), json);
        assertEquals(request, Json.read(json, TrialRequested.class));
    }

    @Test
    void trialMetricsAreSnakeCaseInTheirFieldOrderWithoutALossWhenNoStepRan() {
        PredictionsReady ready = new PredictionsReady(
                "s1",
                "t1",
                "s3://vtc/predictions/t1/predictions.json",
                new DatasetRef("d", "1pct", "val", "h"),
                "val",
                Compression.none(),
                577,
                3);
        TrialMetrics metrics = new TrialMetrics("t1", "s1", 40, 1.25, 200, 577, "worker-a", ready);
        String json = Json.write(metrics);
        assertEquals(
                "{\"trial_id\":\"t1\",\"sweep_id\":\"s1\",\"steps\":40,\"final_loss\":1.25,\"questions\":200,"
                        + "\"visual_tokens\":577,\"worker\":\"worker-a\",\"ready\":" + Json.write(ready) + "}",
                json);
        assertEquals(metrics, Json.read(json, TrialMetrics.class));

        TrialMetrics untrained = new TrialMetrics("t1", "s1", 0, null, 200, 577, "worker-a", ready);
        assertFalse(Json.write(untrained).contains("final_loss"), Json.write(untrained));
        assertEquals(untrained, Json.read(Json.write(untrained), TrialMetrics.class));
    }

    @Test
    void visualTokensKeptFollowsThePoolingArithmetic() {
        ModelFacts base = new ModelFacts(6, 24, 24);
        ModelFacts tiny = new ModelFacts(3, 4, 4);
        assertEquals(577, base.visualTokens(Compression.none()));
        assertEquals(1 + 144, base.visualTokens(new Compression("avg_pool", 4, 0, false)));
        assertEquals(1 + 3, tiny.visualTokens(new Compression("avg_pool", 5, 0, false)));
        assertEquals(1 + 4, tiny.visualTokens(new Compression("learnable_pool", 5, 0, false)));
    }
}
