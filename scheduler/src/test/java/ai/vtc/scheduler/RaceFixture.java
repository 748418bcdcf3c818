package ai.vtc.scheduler;

import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.SearchSettings;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.storage.ObjectStore;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A hand-made race: a model of 16 grid tokens, {@code none} (17 visual tokens) and avg_pool 2, 4 and 8 (9, 5 and 3
 * tokens) on a synthetic evaluation set of 200 questions, rungs at 25%, 50% and 100%. Each trial's per-question scores
 * are drawn once from its own accuracy, so the evaluator's answers can be played back for any prefix: avg_pool 4 is
 * far below the cheaper avg_pool 8 (stopped at the first rung), avg_pool 2 is close to avg_pool 8, and none is best.
 */
final class RaceFixture {
    static final int QUESTIONS = 200;
    static final List<Double> FRACTIONS = List.of(0.25, 0.5, 1.0);
    static final Map<String, Double> ACCURACY = Map.of("none", 0.92, "2", 0.6, "4", 0.2, "8", 0.65);

    /** Trial id by its label ({@code none} or the avg_pool factor). */
    final Map<String, String> trials = new LinkedHashMap<>();

    final String sweepId;

    private final Map<String, double[]> scores = new LinkedHashMap<>();

    private RaceFixture(String sweepId, JsonPath submitted) {
        this.sweepId = sweepId;
        List<Map<String, Object>> rows = submitted.getList("trials");
        for (Map<String, Object> row : rows) {
            String label = "none".equals(row.get("mode")) ? "none" : String.valueOf(row.get("factor"));
            trials.put(label, (String) row.get("id"));
            scores.put((String) row.get("id"), draw(ACCURACY.get(label), label.hashCode()));
        }
    }

    /** Submits the race for a fresh model (trial ids no other test has). */
    static RaceFixture submit(ObjectStore store) {
        String model = Fixtures.unique("race");
        Fixtures.model(store, model, 3, 128);
        Fixtures.subset(store, "synth-vqa", "10pct", "5a7f00d2");
        String yaml = "name: race\nmodel: " + model + "\ndataset: {name: synth-vqa, subset: 10pct}\n"
                + "grid: {mode: [none, avg_pool], factor: [2, 4, 8], stage: [0], sorted: [false]}\n"
                + "search: {strategy: pareto_race, fractions: [0.25, 0.5, 1.0], confidence: 0.95}\n";
        JsonPath submitted = Fixtures.submit(yaml);
        return new RaceFixture(submitted.getString("id"), submitted);
    }

    /** The state of a fixture submitted by another test (after a restart): the same trials and scores. */
    static RaceFixture of(String sweepId) {
        return new RaceFixture(sweepId, Fixtures.sweep(sweepId));
    }

    /** What the evaluator announces for {@code trialId} at {@code fraction}: a rung's scores, or the whole result. */
    EvaluationEvent.Completed evaluation(String trialId, double fraction) {
        double[] all = scores.get(trialId);
        int n = SearchSettings.prefixSize(fraction, all.length);
        List<Double> prefix = Arrays.stream(all, 0, n).boxed().toList();
        double overall = 100 * prefix.stream().mapToDouble(Double::doubleValue).sum() / n;
        boolean rung = fraction < 1.0;
        return new EvaluationEvent.Completed(
                trialId,
                sweepId,
                Instant.now(),
                overall,
                Map.of(),
                Map.of(),
                n,
                null,
                null,
                null,
                null,
                rung ? fraction : null,
                rung ? prefix : null);
    }

    /** Accuracy in percent of {@code trialId} on the whole set. */
    double accuracy(String trialId) {
        return evaluation(trialId, 1.0).overall();
    }

    void send(EventSender sender, String trialId, double fraction) {
        sender.send(Topics.EVALUATIONS, trialId, evaluation(trialId, fraction));
    }

    static JsonPath race(String sweepId) {
        return RestAssured.given()
                .get("/sweeps/" + sweepId + "/race")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The requests on {@code trials} for this sweep's trials, read back as records. */
    static List<TrialRequested> requests(List<ConsumerRecord<String, String>> records, String sweepId) {
        List<TrialRequested> out = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            TrialRequested request = Json.read(record.value(), TrialRequested.class);
            if (sweepId.equals(request.sweepId())) {
                out.add(request);
            }
        }
        return out;
    }

    private static double[] draw(double accuracy, long seed) {
        Random random = new Random(seed);
        double[] out = new double[QUESTIONS];
        for (int i = 0; i < QUESTIONS; i++) {
            out[i] = random.nextDouble() < accuracy ? 1.0 : 0.0;
        }
        return out;
    }
}
