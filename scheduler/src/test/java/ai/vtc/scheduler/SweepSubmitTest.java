package ai.vtc.scheduler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialIds;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.scheduler.metrics.SweepGauges;
import ai.vtc.storage.ObjectStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class SweepSubmitTest {
    @Inject
    ObjectStore store;

    @Inject
    SweepGauges gauges;

    static JsonPath submit(String yaml) {
        return Fixtures.yaml(yaml)
                .post("/sweeps")
                .then()
                .statusCode(201)
                .header("Location", containsString("/sweeps/s-"))
                .extract()
                .jsonPath();
    }

    @Test
    void theDesignExamplePublishes25DistinctTrialsAndAResubmissionNone() {
        String yaml = Fixtures.designExample(store);
        JsonPath first = submit(yaml);
        assertEquals(25, first.getInt("trials_total"));
        assertEquals(25, first.getInt("new_trials"));
        List<String> ids = first.getList("trials.id");
        assertEquals(25, new HashSet<>(ids).size());
        assertEquals(
                1, first.getList("trials.mode").stream().filter("none"::equals).count());

        try (TopicReader trials = new TopicReader(Topics.TRIALS)) {
            List<ConsumerRecord<String, String>> records =
                    trials.recordsFor(ids, 25, Duration.ofSeconds(30), Duration.ofSeconds(1));
            assertEquals(25, records.size());
            Set<String> keys = records.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
            assertEquals(Set.copyOf(ids), keys);
            for (ConsumerRecord<String, String> record : records) {
                TrialRequested request = Json.read(record.value(), TrialRequested.class);
                assertEquals(record.key(), request.trialId());
                assertEquals(request.trialId(), TrialIds.of(request.spec())); // content-addressed
                assertEquals(first.getString("id"), request.sweepId());
                assertEquals(1, request.attempt());
                assertEquals("5a7f00d2", request.datasetManifestSha256());
            }

            JsonPath again = submit(yaml);
            assertEquals(0, again.getInt("new_trials"));
            assertEquals(25, again.getInt("reused_trials"));
            assertEquals(Set.copyOf(ids), Set.copyOf(again.getList("trials.id")));
            assertEquals(
                    25,
                    trials.recordsFor(ids, 26, Duration.ofSeconds(3), Duration.ZERO)
                            .size());
        }
    }

    @Test
    void anOverlappingSweepPublishesOnlyItsNewTrials() {
        String yaml = Fixtures.designExample(store);
        List<String> firstIds = submit(yaml).getList("trials.id");
        JsonPath overlap = submit(yaml.replace("factor: [2, 4, 8]", "factor: [8, 16]")
                .replace("name: compression-grid", "name: bigger-factors"));
        // 1 none + 2 modes x 2 factors x 2 stages x 2 sorted = 17; factor 8 (8 trials) and none already exist
        assertEquals(17, overlap.getInt("trials_total"));
        assertEquals(8, overlap.getInt("new_trials"));
        assertEquals(9, overlap.getInt("reused_trials"));
        List<String> newIds = overlap.getList("trials.findAll { it.submission == 'new' }.id");
        try (TopicReader trials = new TopicReader(Topics.TRIALS)) {
            List<ConsumerRecord<String, String>> records =
                    trials.recordsFor(overlap.getList("trials.id"), 17, Duration.ofSeconds(20), Duration.ofSeconds(1));
            assertEquals(17, records.size());
            Map<String, Long> perKey =
                    records.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            perKey.values().forEach(n -> assertEquals(1L, n));
            assertEquals(8, newIds.size());
            newIds.forEach(id -> assertEquals(false, firstIds.contains(id)));
        }
    }

    @Test
    void changesNeedTheTokenReadsDoNot() {
        String yaml = Fixtures.designExample(store);
        Fixtures.yamlWithoutToken(yaml)
                .post("/sweeps")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
        Fixtures.yamlWithoutToken(yaml)
                .header("Authorization", "Bearer wrong")
                .post("/sweeps")
                .then()
                .statusCode(401);
        given().post("/sweeps/s-000000000000/cancel").then().statusCode(401);
        given().post("/sweeps/s-000000000000/retry").then().statusCode(401);
        given().header("Authorization", Fixtures.AUTH)
                .post("/sweeps/s-000000000000/cancel")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().get("/sweeps").then().statusCode(200);
    }

    @Test
    void listAndDetailShowTheTrialTable() {
        JsonPath submitted = submit(Fixtures.designExample(store));
        String id = submitted.getString("id");
        given().get("/sweeps")
                .then()
                .statusCode(200)
                .body("id", hasItem(id))
                .body("find { it.id == '" + id + "' }.trials", equalTo(25))
                .body("find { it.id == '" + id + "' }.status", equalTo("running"))
                .body("find { it.id == '" + id + "' }.counts.queued", equalTo(25));
        given().get("/sweeps/" + id)
                .then()
                .statusCode(200)
                .body("name", equalTo("compression-grid"))
                .body("spec.grid[0].factor", equalTo(List.of(2, 4, 8)))
                .body("spec.train.weight_decay", equalTo(0.01f))
                .body("spec_yaml", containsString("learnable_pool"))
                .body("trials.size()", equalTo(25))
                .body("trials[0].mode", equalTo("none"))
                .body("trials[1].status", equalTo("queued"));
        String trial = submitted.getString("trials[3].id");
        given().get("/trials/" + trial)
                .then()
                .statusCode(200)
                .body("status", equalTo("queued"))
                .body("sweeps", hasItem(id))
                .body("spec.compression.mode", equalTo("avg_pool"))
                .body("events.size()", equalTo(0));
        given().get("/sweeps/s-unknown").then().statusCode(404).contentType("application/problem+json");
        given().get("/trials/0000000000000000").then().statusCode(404);
    }

    @Test
    void openApiDescribesTheEndpointsAndTheToken() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths.keySet()", hasItem("/sweeps"))
                .body("paths.keySet()", hasItem("/sweeps/{id}/cancel"))
                .body("paths.keySet()", hasItem("/trials/{id}/checkpoints"))
                .body("components.securitySchemes.api-token.scheme", equalTo("bearer"));
    }

    @Test
    void prometheusSeesTrialsPerSweepAndState() {
        String id = submit(Fixtures.designExample(store)).getString("id");
        Eventually.assertThat(() -> {
            gauges.refresh();
            String metrics =
                    given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertContains(metrics, "sweep_trials{state=\"queued\",sweep=\"" + id + "\"} 25.0");
            assertContains(metrics, "sweep_trials{state=\"completed\",sweep=\"" + id + "\"} 0.0");
            assertContains(metrics, "scheduler_submit_duration_seconds_count{outcome=\"accepted\"}");
            assertContains(metrics, "scheduler_published_total{topic=\"trials\"}");
            assertContains(metrics, "scheduler_outbox_pending 0.0");
        });
    }

    private static void assertContains(String text, String part) {
        if (!text.contains(part)) {
            throw new AssertionError("expected '" + part + "' in the metrics:\n"
                    + text.lines()
                            .filter(l -> l.startsWith("sweep") || l.startsWith("scheduler"))
                            .toList());
        }
    }

    @Test
    void trainingFreeTrialsAnswerTheEvaluationSubsetNamedBySweep() {
        String model = Fixtures.unique("free");
        Fixtures.model(store, model, 3, 128);
        Fixtures.subset(store, "synth-vqa", "10pct", "5a7f00d2");
        Fixtures.subset(store, "synth-vqa", "held-out", "e7e7", Map.of("val", new int[] {3}));
        JsonPath submitted = Fixtures.submit("name: free\nmodel: " + model + "\n"
                + "dataset: {name: synth-vqa, subset: 10pct, eval_subset: held-out}\n"
                + "grid: {mode: [none, random], keep: [4], training: [none, fine_tune]}\n");
        assertEquals(4, submitted.getInt("trials_total"));
        List<String> ids = submitted.getList("trials.id");
        int trainingFree = 0;
        for (String id : ids) {
            JsonPath trial = Fixtures.trial(id);
            assertEquals("held-out", trial.getString("spec.dataset.eval_subset"));
            assertEquals("e7e7", trial.getString("spec.dataset.eval_manifest_sha256"));
            if (trial.get("spec.train") == null) {
                trainingFree++;
            }
        }
        assertEquals(2, trainingFree);
    }
}
