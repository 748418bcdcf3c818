package ai.vtc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.ModelManifest;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Model uploads through the API: files go to presigned links, the scheduler checks them before it publishes the
 * manifest, the same model twice is a no-op, another model under the name needs {@code replace}, and the manifest's
 * hash is part of every trial id.
 */
@QuarkusTest
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class ModelsTest {
    @Inject
    ObjectStore store;

    @Test
    void theSameModelTwiceIsANoOpAndAReplacedOneMakesNewTrialIds() throws Exception {
        store.ensureBucket();
        String name = Fixtures.unique("uploaded");
        Map<String, byte[]> files = folder("weights-v1");
        JsonPath first = upload(name, files, false, 200);
        assertFalse(first.getBoolean("unchanged"));
        JsonPath stored = complete(name, 200);
        String v1 = stored.getString("sha256");
        assertEquals(manifest(files).sha256(), v1);
        assertTrue(store.exists(Keys.modelManifest(name)));
        assertFalse(store.exists(Keys.modelUpload(name)));

        JsonPath again = upload(name, files, false, 200);
        assertTrue(again.getBoolean("unchanged"));
        assertEquals(Map.of(), again.getMap("uploads"));

        String sweep = Fixtures.smallSweep(store, 2, null).replaceFirst("model: \\S+", "model: " + name);
        List<String> before = Fixtures.submit(sweep).getList("trials.id");

        Map<String, byte[]> changed = folder("weights-v2");
        JsonPath refused = upload(name, changed, false, 409);
        assertTrue(
                refused.getString("detail").contains("exists with other files (manifest sha256 " + v1),
                refused.prettify());
        assertEquals(
                v1,
                Json.read(new String(store.get(Keys.modelManifest(name)), StandardCharsets.UTF_8), ModelManifest.class)
                        .sha256(),
                "nothing changed");

        // a vision feature workers computed with the v1 weights: it goes with them
        Map<String, String> sums = new TreeMap<>();
        files.forEach((file, bytes) -> sums.put(file, TrialIds.sha256Hex(bytes)));
        String feature = Keys.visionFeatures(Keys.modelWeightsId(sums), "some-set", 64, 64, "fp32", "a.png");
        store.put(feature, new byte[] {1, 2, 3}, "application/octet-stream");

        JsonPath replaced = upload(name, changed, true, 200);
        assertFalse(replaced.getBoolean("unchanged"));
        assertFalse(store.exists(feature), "the replaced weights' vision features are deleted");
        assertFalse(store.exists(Keys.modelManifest(name)), "a model being replaced is not complete");
        String v2 = complete(name, 200).getString("sha256");
        assertNotEquals(v1, v2);

        List<String> after = Fixtures.submit(sweep).getList("trials.id");
        assertEquals(before.size(), after.size());
        assertTrue(after.stream().noneMatch(before::contains), before + " vs " + after);
        assertEquals(v2, Fixtures.trial(after.get(0)).getString("spec.model_manifest_sha256"));

        JsonPath listed = RestAssured.given()
                .get("/models")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(v2, listed.getString("find { it.name == '" + name + "' }.sha256"));
    }

    @Test
    void aFileThatDiffersFromTheManifestIsDeletedAndTheModelStaysIncomplete() throws Exception {
        store.ensureBucket();
        String name = Fixtures.unique("corrupt");
        Map<String, byte[]> files = folder("weights");
        Map<String, byte[]> sent = new LinkedHashMap<>(files);
        sent.put("model.safetensors", "weightz".getBytes(StandardCharsets.UTF_8));
        JsonPath begun = begin(name, manifest(files), false, 200);
        put(begun, sent);
        JsonPath refused = complete(name, 400);
        assertTrue(refused.getString("detail").contains("model.safetensors arrived with"), refused.prettify());
        assertFalse(store.exists(Keys.modelFile(name, "model.safetensors")));
        assertFalse(store.exists(Keys.modelManifest(name)));
        String sweep = Fixtures.smallSweep(store, 1, null).replaceFirst("model: \\S+", "model: " + name);
        JsonPath invalid = Fixtures.yaml(sweep)
                .post("/sweeps")
                .then()
                .statusCode(400)
                .extract()
                .jsonPath();
        assertTrue(invalid.getString("errors[0].message").contains("upload stopped halfway"), invalid.prettify());
    }

    @Test
    void uploadsNeedTheTokenAndACompleteManifest() {
        String name = Fixtures.unique("refused");
        RestAssured.given()
                .contentType("application/json")
                .body(manifest(folder("w")).toJson())
                .post("/models/" + name + "/uploads")
                .then()
                .statusCode(401);
        Map<String, byte[]> noTokenizer = folder("w");
        noTokenizer.remove("tokenizer.json");
        JsonPath refused = begin(name, manifest(noTokenizer), false, 400);
        assertTrue(refused.getString("detail").contains("the folder has no tokenizer.json"), refused.prettify());
        assertFalse(store.exists(Keys.modelUpload(name)), "nothing stored");
        begin(".hidden", manifest(folder("w")), false, 400);
    }

    /** A small model folder; {@code weights} stands for model.safetensors. */
    private static Map<String, byte[]> folder(String weights) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(
                "config.json",
                ("{\"model_type\":\"florence2\",\"text_config\":{\"encoder_layers\":3,\"d_model\":64},"
                                + "\"vision_config\":{\"image_pos_embed\":{\"max_pos_embeddings\":8}}}")
                        .getBytes(StandardCharsets.UTF_8));
        files.put(
                "preprocessor_config.json",
                "{\"size\":{\"height\":128,\"width\":128}}".getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer.json", "{\"model\":{}}".getBytes(StandardCharsets.UTF_8));
        files.put("model.safetensors", weights.getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private static ModelManifest manifest(Map<String, byte[]> files) {
        Map<String, ModelManifest.FileEntry> entries = new LinkedHashMap<>();
        files.forEach(
                (n, bytes) -> entries.put(n, new ModelManifest.FileEntry(TrialIds.sha256Hex(bytes), bytes.length)));
        return ModelManifest.of("any", entries);
    }

    private static JsonPath upload(String name, Map<String, byte[]> files, boolean replace, int status)
            throws Exception {
        JsonPath begun = begin(name, manifest(files), replace, status);
        if (status == 200 && !begun.getBoolean("unchanged")) {
            put(begun, files);
        }
        return begun;
    }

    private static JsonPath begin(String name, ModelManifest manifest, boolean replace, int status) {
        return RestAssured.given()
                .header("Authorization", Fixtures.AUTH)
                .contentType("application/json")
                .body(manifest.toJson())
                .post("/models/" + name + "/uploads?replace=" + replace)
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    private static void put(JsonPath begun, Map<String, byte[]> files) throws Exception {
        Map<String, String> links = begun.getMap("uploads");
        for (Map.Entry<String, String> link : links.entrySet()) {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(link.getValue()))
                                    .PUT(HttpRequest.BodyPublishers.ofByteArray(files.get(link.getKey())))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), link.getKey() + ": " + response.body());
        }
    }

    private static JsonPath complete(String name, int status) {
        return RestAssured.given()
                .header("Authorization", Fixtures.AUTH)
                .post("/models/" + name + "/uploads/complete")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }
}
