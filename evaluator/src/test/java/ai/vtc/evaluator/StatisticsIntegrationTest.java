package ai.vtc.evaluator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.CompressionMethod;
import ai.vtc.contracts.DatasetRef;
import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.ReferenceComparison;
import ai.vtc.contracts.Training;
import ai.vtc.evaluator.persistence.QuestionScoresEntity;
import ai.vtc.stack.testing.StackTestResource;
import ai.vtc.storage.Keys;
import ai.vtc.vqa.VqaAccuracy;
import ai.vtc.vqa.VqaEvaluator;
import ai.vtc.vqa.stats.PairedBootstrap;
import ai.vtc.vqa.synth.SyntheticVqa;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Accuracy intervals, paired comparisons with the reference trial (in any order of evaluation), spreads across seeds,
 * costs and Pareto fronts, through the real broker, S3 server and PostgreSQL.
 */
@QuarkusTest
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "evaluator"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatisticsIntegrationTest {
    private static final Compression AVG2 = new Compression("avg_pool", 2, 0, false);
    private static final Compression RANDOM4 = Compression.selection(CompressionMethod.RANDOM, 4, 0);

    private EvaluationFixture f;

    @BeforeAll
    void start() throws Exception {
        f = new EvaluationFixture();
    }

    @AfterAll
    void close() {
        f.close();
    }

    @Test
    void aTrialEvaluatedBeforeItsReferenceGetsItsPairedComparisonWhenTheReferenceArrives() throws Exception {
        String sweep = unique("sweep-paired");
        PredictionsReady pooled =
                f.ready(sweep, sweep + "-avg2", AVG2, 0, Training.FINE_TUNE, EvaluationFixture.cost(9, 2.0, 20.0));
        PredictionsReady reference = f.ready(
                sweep, sweep + "-none", Compression.none(), 0, Training.FINE_TUNE, EvaluationFixture.cost(17, 4, 40.0));
        f.predictFirst(pooled, 30);
        EvaluationEvent.Completed alone = completed(pooled.trialId());
        assertNull(alone.comparison());
        assertEquals(ReferenceComparison.NO_REFERENCE, alone.comparisonNote());
        assertTrue(
                alone.accuracyLower() <= alone.overall() && alone.overall() <= alone.accuracyUpper(), alone.toString());
        assertTrue(alone.accuracyUpper() - alone.accuracyLower() > 1, "an interval of some width: " + alone);

        f.predictFirst(reference, 95);
        EvaluationEvent.Completed ref = completed(reference.trialId());
        assertNull(ref.comparison());
        assertEquals(ReferenceComparison.IS_REFERENCE, ref.comparisonNote());
        // the pooled trial is announced again, now with its comparison
        EvaluationEvent.Completed compared = (EvaluationEvent.Completed)
                f.awaitEvaluation(pooled.trialId(), e -> ((EvaluationEvent.Completed) e).comparison() != null);
        ReferenceComparison c = compared.comparison();
        assertEquals(reference.trialId(), c.referenceTrialId());
        assertNull(compared.comparisonNote());
        assertEquals(alone.overall(), compared.overall());
        assertEquals(alone.accuracyLower(), compared.accuracyLower());

        // the same numbers as the vqa library's bootstrap on the same files, over every question of the subset
        PairedBootstrap.Interval expected =
                PairedBootstrap.DEFAULT.difference(perQuestion(pooled.trialId()), perQuestion(reference.trialId()));
        assertEquals(f.subsetAnnotations.size(), c.questions());
        assertEquals(expected.estimate(), c.difference(), 0.005001);
        assertEquals(expected.lower(), c.lower(), 0.005001);
        assertEquals(expected.upper(), c.upper(), 0.005001);
        assertTrue(c.lower() <= c.difference() && c.difference() <= c.upper(), c.toString());
        assertTrue(c.significant(), "30% against 95% right differs: " + c);
        assertEquals(expected.excludesZero(), c.significant());

        // announcing the reference again changes nothing: same comparison stored, same answer
        f.publish(reference);
        EvaluationEvent.Completed again = completed(reference.trialId());
        assertEquals(ref, again);
        JsonPath row = given().get("/evaluations/" + pooled.trialId()).jsonPath();
        assertEquals(reference.trialId(), row.getString("comparison.reference_trial_id"));
        assertEquals((float) c.difference(), row.getFloat("delta"));
        assertEquals((float) c.difference(), row.getFloat("comparison.difference"));
        assertEquals((float) c.lower(), row.getFloat("comparison.lower"));
        assertTrue(row.getBoolean("comparison.significant"));
        assertEquals(
                f.subsetAnnotations.size(),
                QuarkusTransaction.requiringNew()
                        .call(() -> QuestionScoresEntity.scoresOf(pooled.trialId()))
                        .size());
    }

    @Test
    void referencesFollowTrainingAndSeedAndEveryTrialWithoutOneSaysWhy() throws Exception {
        String sweep = unique("sweep-refs");
        PredictionsReady ftNone = f.ready(sweep, sweep + "-ft-none", Compression.none(), 0, Training.FINE_TUNE, null);
        PredictionsReady freeNone = f.ready(sweep, sweep + "-free-none", Compression.none(), 0, Training.NONE, null);
        PredictionsReady freeRandom = f.ready(sweep, sweep + "-free-random", RANDOM4, 0, Training.NONE, null);
        PredictionsReady sameAsReference = f.ready(sweep, sweep + "-ft-avg2", AVG2, 0, Training.FINE_TUNE, null);
        PredictionsReady otherSeed = f.ready(sweep, sweep + "-ft-avg2-s1", AVG2, 1, Training.FINE_TUNE, null);
        f.predict(ftNone, 5, 0.9);
        f.predict(freeNone, 6, 0.5);
        f.predict(freeRandom, 7, 0.45);
        f.predict(sameAsReference, 5, 0.9); // the reference's predictions exactly
        f.predict(otherSeed, 8, 0.8);

        ReferenceComparison random = completed(freeRandom.trialId()).comparison();
        assertEquals(
                freeNone.trialId(), random.referenceTrialId(), "training-free trials compare with the stored model");
        ReferenceComparison identical = completed(sameAsReference.trialId()).comparison();
        assertEquals(ftNone.trialId(), identical.referenceTrialId());
        assertEquals(0.0, identical.difference());
        assertEquals(0.0, identical.lower());
        assertEquals(0.0, identical.upper());
        assertFalse(identical.significant(), "no difference at all is not significant");
        EvaluationEvent.Completed lonely = completed(otherSeed.trialId());
        assertNull(lonely.comparison(), "seed 1 has no uncompressed trial");
        assertEquals(ReferenceComparison.NO_REFERENCE, lonely.comparisonNote());

        List<Map<String, Object>> rows =
                given().get("/sweeps/" + sweep + "/results").jsonPath().getList("$");
        Map<String, Map<String, Object>> byTrial =
                rows.stream().collect(Collectors.toMap(r -> (String) r.get("trial_id"), r -> r));
        Map<String, Object> seed1 = byTrial.get(otherSeed.trialId());
        assertFalse(seed1.containsKey("delta"), "no paired columns without a reference: " + seed1);
        assertFalse(seed1.containsKey("comparison"), seed1.toString());
        assertEquals(ReferenceComparison.NO_REFERENCE, seed1.get("comparison_note"));
        assertEquals("none", byTrial.get(freeRandom.trialId()).get("training"));
        assertEquals("random keep=4 stage=0", byTrial.get(freeRandom.trialId()).get("setting"));
        assertEquals(4, byTrial.get(freeRandom.trialId()).get("keep"));
        // avg_pool f=2, fine-tuned: two seeds, their mean and sample standard deviation
        Map<String, Object> avg2 = byTrial.get(sameAsReference.trialId());
        assertEquals(2, avg2.get("seeds"));
        double a = ((Number) avg2.get("overall")).doubleValue();
        double b = ((Number) seed1.get("overall")).doubleValue();
        assertEquals((a + b) / 2, ((Number) avg2.get("seed_mean")).doubleValue(), 0.0051);
        assertEquals(Math.abs(a - b) / Math.sqrt(2), ((Number) avg2.get("seed_sd")).doubleValue(), 0.0051);
        assertEquals(1, byTrial.get(freeNone.trialId()).get("seeds"));
        assertFalse(byTrial.get(freeNone.trialId()).containsKey("seed_sd"), "one seed has no spread");
        given().get("/sweeps/" + sweep + "/results.csv")
                .then()
                .statusCode(200)
                .body(containsString("\"" + ReferenceComparison.NO_REFERENCE + "\""))
                .body(containsString(",none,\"random keep=4 stage=0\",4,,,"));
    }

    /**
     * Four trials with hand-made costs and accuracies in a known order (95, 80, 60 and 30% of the answers right):
     *
     * <pre>
     *   trial  tokens  GFLOPs  latency  accuracy
     *   p1     17      10      50       ~95
     *   p2     9       6       60       ~60
     *   p3     9       4       30       ~30
     *   p4     3       8       -        ~80
     * </pre>
     *
     * Fronts: tokens p4, p1; GFLOPs p3, p2, p4, p1; latency p3, p1 (p4 has no latency).
     */
    @Test
    void theParetoFrontOfAHandMadeSetForEveryCost() throws Exception {
        String sweep = unique("sweep-pareto");
        String p1 = sweep + "-p1", p2 = sweep + "-p2", p3 = sweep + "-p3", p4 = sweep + "-p4";
        f.predictFirst(withCost(sweep, p1, Compression.none(), 1, 17, 10, 50.0), 95);
        f.predictFirst(withCost(sweep, p2, AVG2, 2, 9, 6, 60.0), 60);
        f.predictFirst(withCost(sweep, p3, AVG2, 3, 9, 4, 30.0), 30);
        f.predictFirst(withCost(sweep, p4, RANDOM4, 4, 3, 8, null), 80);
        for (String trial : List.of(p1, p2, p3, p4)) {
            completed(trial);
        }
        assertEquals(List.of(p4, p1), front(sweep, "tokens"));
        assertEquals(List.of(p4, p1), front(sweep, null), "tokens is the default");
        assertEquals(List.of(p3, p2, p4, p1), front(sweep, "gflops"));
        assertEquals(List.of(p3, p1), front(sweep, "latency"));
        given().get("/sweeps/" + sweep + "/pareto?cost=watts")
                .then()
                .statusCode(400)
                .body(containsString("tokens, gflops, latency"));

        JsonPath p4Row = given().get("/evaluations/" + p4).jsonPath();
        assertEquals(Map.of("tokens", true, "gflops", true), p4Row.getMap("on_front"));
        assertEquals(8.0f, p4Row.getFloat("cost.gflops.prefill"));
        assertNull(p4Row.get("cost.latency"));
        String csv = given().get("/sweeps/" + sweep + "/results.csv").asString();
        List<String> header = List.of(csv.lines().findFirst().orElseThrow().split(","));
        String p2Line =
                csv.lines().filter(l -> l.startsWith(p2 + ",")).findFirst().orElseThrow();
        List<String> p2Cells = Arrays.asList(p2Line.split(",", -1));
        assertEquals("false", p2Cells.get(header.indexOf("on_front_tokens")), p2Line);
        assertEquals("true", p2Cells.get(header.indexOf("on_front_gflops")), p2Line);
        assertEquals("false", p2Cells.get(header.indexOf("on_front_latency")), p2Line);
        assertEquals("6.0", p2Cells.get(header.indexOf("gflops_prefill")), p2Line);
        assertEquals("60.0", p2Cells.get(header.indexOf("prefill_ms")), p2Line);
        assertEquals("6.0", p2Cells.get(header.indexOf("decode_step_ms")), p2Line);

        String metrics = given().get("/q/metrics").asString();
        String p1Series = "{answer_type=\"all\",dominant=\"-\",factor=\"-\",image_size=\"-\",keep=\"-\",mode=\"none\","
                + "seed=\"1\",sorted=\"-\",stage=\"-\",sweep=\"" + sweep + "\",training=\"fine_tune\"}";
        assertTrue(metrics.contains("vqa_prefill_gflops" + p1Series + " 10.0"), metrics);
        assertTrue(metrics.contains("vqa_prefill_latency_ms" + p1Series + " 50.0"), metrics);
        assertTrue(metrics.contains("vqa_decode_step_ms" + p1Series + " 5.0"), metrics);
        assertTrue(metrics.contains("vqa_accuracy_lower" + p1Series), metrics);
        assertTrue(metrics.contains("vqa_accuracy_upper" + p1Series), metrics);
    }

    @Test
    void theQuestionsOfTheEvaluationSubsetAreScored() throws Exception {
        String trial = unique("trial-eval-subset");
        Path results = f.dir.resolve(trial + ".json");
        SyntheticVqa.predictions(f.quarterAnnotations, 3, 0.7).write(results);
        f.store.putFile(Keys.predictions(trial), results);
        PredictionsReady r = f.ready(trial, Compression.none(), 0);
        DatasetRef withEvalSubset = new DatasetRef(
                EvaluationFixture.DATASET, "half", "val", f.subset.sha256(), "quarter", f.quarter.sha256());
        f.publish(new PredictionsReady(
                r.sweepId(),
                trial,
                r.predictionsUri(),
                withEvalSubset,
                "val",
                r.compression(),
                r.visualTokens(),
                0,
                Training.NONE,
                null,
                null));
        EvaluationEvent.Completed done = completed(trial);
        assertEquals(f.quarterAnnotations.size(), done.questions());
        assertTrue(done.questions() < f.subsetAnnotations.size());
        given().get("/evaluations/" + trial).then().body("training", org.hamcrest.Matchers.equalTo("none"));
    }

    /** A trial of its own seed (so no trial is another's reference) with these tokens and costs. */
    private PredictionsReady withCost(
            String sweep, String trial, Compression compression, long seed, int tokens, double gflops, Double latency) {
        PredictionsReady r = f.ready(
                sweep, trial, compression, seed, Training.FINE_TUNE, EvaluationFixture.cost(tokens, gflops, latency));
        return new PredictionsReady(
                sweep,
                trial,
                r.predictionsUri(),
                r.dataset(),
                r.split(),
                compression,
                tokens,
                seed,
                r.training(),
                r.trainSettingsSha256(),
                r.cost());
    }

    private static List<String> front(String sweep, String cost) {
        String query = cost == null ? "" : "?cost=" + cost;
        return given().get("/sweeps/" + sweep + "/pareto" + query)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("trial_id");
    }

    private EvaluationEvent.Completed completed(String trial) {
        return assertInstanceOf(EvaluationEvent.Completed.class, f.awaitEvaluation(trial));
    }

    /** The per-question accuracies of a trial's predictions file, as the vqa library scores it. */
    private double[] perQuestion(String trial) throws Exception {
        VqaAccuracy accuracy =
                VqaEvaluator.evaluate(f.subsetAnnotations, ai.vtc.vqa.VqaResults.read(f.dir.resolve(trial + ".json")));
        long[] ids = accuracy.questionIds();
        double[] values = accuracy.questionAccuracies();
        Integer[] order = new Integer[ids.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (x, y) -> Long.compare(ids[x], ids[y]));
        return Arrays.stream(order).mapToDouble(i -> values[i]).toArray();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
