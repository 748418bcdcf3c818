package ai.vtc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialIds;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class CheckpointsAndResultsTest {
    @Inject
    ObjectStore store;

    @Test
    void completeCheckpointsComeWithChecksumsAndPresignedUrlsThatDownloadWithoutCredentials() throws Exception {
        String trial = Fixtures.submit(Fixtures.smallSweep(store, 1, null)).getString("trials[0].id");
        for (long step : new long[] {20, 10}) {
            byte[] weights = bytes("weights@" + step);
            store.put(Keys.checkpoint(trial, step) + "model.safetensors", weights, "application/octet-stream");
            store.put(
                    Keys.checkpoint(trial, step) + "state.json",
                    bytes("{\"step\":" + step + ",\"sha256\":{\"model.safetensors\":\"" + TrialIds.sha256Hex(weights)
                            + "\"}}"),
                    "application/json");
        }
        // still uploading: no state.json yet
        store.put(Keys.checkpoint(trial, 30) + "model.safetensors", bytes("weights@30"), "application/octet-stream");
        // left halfway: state.json names a file that is not stored
        store.put(
                Keys.checkpoint(trial, 40) + "state.json",
                bytes("{\"step\":40,\"sha256\":{\"model.safetensors\":\"" + "0".repeat(64) + "\"}}"),
                "application/json");
        JsonPath checkpoints = RestAssured.given()
                .header("Authorization", Fixtures.AUTH)
                .get("/trials/" + trial + "/checkpoints")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of(10, 20), checkpoints.getList("checkpoints.step"));
        assertEquals(List.of("model.safetensors", "state.json"), checkpoints.getList("checkpoints[1].files.name"));
        assertEquals(TrialIds.sha256Hex(bytes("weights@20")), checkpoints.getString("checkpoints[1].files[0].sha256"));
        assertEquals(3600, checkpoints.getInt("expires_in_seconds"));
        String url = checkpoints.getString("checkpoints[1].files[0].url");
        HttpResponse<String> download = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, download.statusCode());
        assertEquals("weights@20", download.body());
        String state = checkpoints.getString("checkpoints[1].files[1].url");
        byte[] stateBytes = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(state)).build(), HttpResponse.BodyHandlers.ofByteArray())
                .body();
        assertEquals(TrialIds.sha256Hex(stateBytes), checkpoints.getString("checkpoints[1].files[1].sha256"));
        RestAssured.given()
                .header("Authorization", Fixtures.AUTH)
                .get("/trials/0123456789abcdef/checkpoints")
                .then()
                .statusCode(404);
    }

    @Test
    void theSamplesTakenWhileTrainingComeBackAsTheWorkerStoredThem() {
        String trial = Fixtures.submit(Fixtures.smallSweep(store, 1, null)).getString("trials[0].id");
        RestAssured.given().get("/trials/" + trial + "/samples").then().statusCode(200);
        assertEquals(
                List.of(),
                RestAssured.given()
                        .get("/trials/" + trial + "/samples")
                        .jsonPath()
                        .getList("$"));
        store.put(
                Keys.trainingSamples(trial),
                bytes("[{\"step\":10,\"question_id\":7,\"question\":\"what colour?\",\"target\":\"red\","
                        + "\"answer\":\"blue\"}]"),
                "application/json");
        JsonPath samples = RestAssured.given()
                .get("/trials/" + trial + "/samples")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of("blue"), samples.getList("answer"));
        assertEquals(List.of(10), samples.getList("step"));
        RestAssured.given().get("/trials/0123456789abcdef/samples").then().statusCode(404);
    }

    @Test
    void resultsListEvaluatedTrialsBestFirst() {
        JsonPath submitted = Fixtures.submit(Fixtures.smallSweep(store, 3, null));
        String sweep = submitted.getString("id");
        List<String> ids = submitted.getList("trials.id");
        try (EventSender sender = new EventSender()) {
            sender.send(Topics.EVALUATIONS, ids.get(0), verdict(ids.get(0), sweep, 40.5));
            sender.send(Topics.EVALUATIONS, ids.get(2), verdict(ids.get(2), sweep, 61.25));
        }
        Eventually.assertThat(() -> assertEquals(
                2,
                RestAssured.given()
                        .get("/sweeps/" + sweep + "/results")
                        .jsonPath()
                        .getInt("evaluated")));
        JsonPath results =
                RestAssured.given().get("/sweeps/" + sweep + "/results").jsonPath();
        assertEquals(1, results.getInt("pending"));
        assertEquals(List.of(ids.get(2), ids.get(0)), results.getList("results.trial_id"));
        assertEquals(61.25f, results.getFloat("results[0].accuracy"));
        assertEquals(4, results.getInt("results[0].factor"));
        assertEquals(1 + 16 / 4, results.getInt("results[0].visual_tokens")); // global + pooled 4 x 4 grid
        assertEquals(70.0f, results.getFloat("results[0].per_answer_type.other"));
        assertTrue(results.getString("name").equals("small"));
    }

    private static EvaluationEvent.Completed verdict(String trial, String sweep, double accuracy) {
        return new EvaluationEvent.Completed(
                trial, sweep, Instant.now(), accuracy, Map.of("other", 70.0), Map.of("what is", 50.0), 100);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
