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

    private static final TrialCost COST = new TrialCost(
            145,
            12.5,
            new TrialCost.Gflops(40.0, 20.0, 1.5, 0.75, 61.5),
            new TrialCost.Latency(80.0, 6.5, 16, 12, "cpu()", "fp32"));

    @Test
    void theCostTravelsInTheCompletedEventAndOlderEventsWithoutItStillParse() {
        TrialEvent.Completed done = new TrialEvent.Completed("t1", 1, AT, "s3://vtc/p", 0.5, 40, 12.5, COST);
        String json = Json.write(done);
        assertTrue(json.contains("\"prefill_ms\":80.0"), json);
        assertTrue(json.contains("\"decoder_per_token\":0.75"), json);
        assertEquals(done, Json.read(json, TrialEvent.class));

        TrialEvent old = Json.read(
                "{\"type\":\"completed\",\"trial_id\":\"t1\",\"attempt\":1,\"at\":\"2026-11-23T10:15:30Z\","
                        + "\"predictions_uri\":\"s3://vtc/p\",\"final_loss\":0.5,\"steps\":40,\"seconds\":12.5}",
                TrialEvent.class);
        assertEquals(new TrialEvent.Completed("t1", 1, AT, "s3://vtc/p", 0.5, 40, 12.5), old);
        assertEquals(null, ((TrialEvent.Completed) old).cost());
    }

    @Test
    void predictionsReadyCarriesTrainingTrainSettingsAndCostFromTheRequest() {
        TrainSettings train = SpecDefaults.train(null);
        DatasetRef data = new DatasetRef("d", "10pct", "val", "h", "eval-500", "e");
        TrialSpec fineTuned = new TrialSpec("m", data, new Compression("avg_pool", 4, 2, false), train, null, 3);
        PredictionsReady ready =
                PredictionsReady.of(new TrialRequested("s1", "t1", fineTuned, "h", 2), "s3://vtc/p", 145, COST);
        assertEquals(Training.FINE_TUNE, ready.training());
        assertEquals(TrialIds.sha256Hex(CanonicalJson.of(train)), ready.trainSettingsSha256());
        assertEquals("val", ready.split());
        String json = Json.write(ready);
        assertTrue(json.contains("\"training\":\"fine_tune\""), json);
        assertEquals(ready, Json.read(json, PredictionsReady.class));
        assertEquals("s2", ready.forSweep("s2").sweepId());
        assertEquals(COST, ready.forSweep("s2").cost());

        TrialSpec free = new TrialSpec("m", data, Compression.none(), null, null, 3);
        PredictionsReady trainingFree =
                PredictionsReady.of(new TrialRequested("s1", "t2", free, "h", 1), "s3://vtc/q", 577, null);
        assertEquals(Training.NONE, trainingFree.training());
        assertEquals(null, trainingFree.trainSettingsSha256());
        assertTrue(Json.write(trainingFree).contains("\"training\":\"none\""), Json.write(trainingFree));
        assertEquals(trainingFree, Json.read(Json.write(trainingFree), PredictionsReady.class));
    }

    @Test
    void predictionsReadyFromBeforeTrainingFreeTrialsReadsAsFineTunedWithoutCost() {
        PredictionsReady old = Json.read(
                "{\"sweep_id\":\"s1\",\"trial_id\":\"t1\",\"predictions_uri\":\"s3://vtc/p\","
                        + "\"dataset\":{\"name\":\"d\",\"subset\":\"1pct\",\"eval_split\":\"val\"},"
                        + "\"split\":\"val\",\"compression\":{\"mode\":\"none\"},\"visual_tokens\":577,\"seed\":3}",
                PredictionsReady.class);
        assertEquals(Training.FINE_TUNE, old.training());
        assertEquals(null, old.trainSettingsSha256());
        assertEquals(null, old.cost());
        assertEquals(577, old.visualTokens());
        IllegalArgumentException unknown = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> Json.read("{\"trial_id\":\"t1\",\"training\":\"pretrain\"}", PredictionsReady.class));
        assertTrue(unknown.getMessage().contains("pretrain"), unknown.getMessage());
    }

    @Test
    void completedEvaluationsCarryTheIntervalAndTheComparisonAndOlderOnesStillParse() {
        ReferenceComparison vsNone = new ReferenceComparison("t0", -4.25, -7.5, -1.0, true, 200);
        EvaluationEvent done = new EvaluationEvent.Completed(
                "t1", "s1", AT, 61.5, Map.of("yes/no", 80.0), Map.of(), 200, 58.0, 65.0, vsNone, null);
        String json = Json.write(done);
        assertTrue(json.contains("\"accuracy_lower\":58.0"), json);
        assertTrue(json.contains("\"reference_trial_id\":\"t0\""), json);
        assertFalse(json.contains("comparison_note"), json);
        assertEquals(done, Json.read(json, EvaluationEvent.class));

        EvaluationEvent alone = new EvaluationEvent.Completed(
                "t2", "s1", AT, 61.5, Map.of(), Map.of(), 200, 58.0, 65.0, null, ReferenceComparison.NO_REFERENCE);
        assertEquals(alone, Json.read(Json.write(alone), EvaluationEvent.class));

        EvaluationEvent old = Json.read(
                "{\"type\":\"completed\",\"trial_id\":\"t1\",\"sweep_id\":\"s1\",\"at\":\"2026-11-23T10:15:30Z\","
                        + "\"overall\":61.5,\"per_answer_type\":{},\"per_question_type\":{},\"questions\":200}",
                EvaluationEvent.class);
        assertEquals(new EvaluationEvent.Completed("t1", "s1", AT, 61.5, Map.of(), Map.of(), 200), old);
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
