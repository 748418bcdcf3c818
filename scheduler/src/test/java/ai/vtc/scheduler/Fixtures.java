package ai.vtc.scheduler;

import ai.vtc.contracts.Json;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Models, subsets and sweep files the tests put in object storage or submit. */
final class Fixtures {
    /** The default token of application.properties. */
    static final String TOKEN = "vtc-local-token";

    static final String AUTH = "Bearer " + TOKEN;

    /** RestAssured does not know YAML: send it as UTF-8 text. */
    private static final RestAssuredConfig YAML = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig()
                    .encodeContentTypeAs("application/yaml", ContentType.TEXT)
                    .defaultCharsetForContentType("UTF-8", "application/yaml"));

    private Fixtures() {}

    /** A request carrying {@code yaml} as {@code application/yaml}, with the API token. */
    static RequestSpecification yaml(String yaml) {
        return RestAssured.given()
                .config(YAML)
                .header("Authorization", AUTH)
                .contentType("application/yaml")
                .body(yaml);
    }

    /** A sweep document as raw bytes, which need not be UTF-8. */
    static RequestSpecification yaml(byte[] document) {
        return RestAssured.given()
                .config(YAML)
                .header("Authorization", AUTH)
                .contentType("application/yaml")
                .body(document);
    }

    /** The same without the token. */
    static RequestSpecification yamlWithoutToken(String yaml) {
        return RestAssured.given().config(YAML).contentType("application/yaml").body(yaml);
    }

    /** A name no other test uses, so trial ids never collide between tests sharing the stack. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * {@code models/<name>/config.json} with {@code encoderLayers} and, when {@code imageSide} is not null, a
     * {@code preprocessor_config.json} of {@code imageSide} x {@code imageSide} pixels.
     */
    static void model(ObjectStore store, String name, int encoderLayers, Integer imageSide) {
        store.ensureBucket();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model_type", "florence2");
        config.put("text_config", Map.of("encoder_layers", encoderLayers, "decoder_layers", 2, "d_model", 64));
        config.put("vision_config", Map.of("image_pos_embed", Map.of("max_pos_embeddings", 8)));
        store.put(
                Keys.model(name) + "config.json",
                Json.write(config).getBytes(StandardCharsets.UTF_8),
                "application/json");
        if (imageSide != null) {
            Map<String, Object> pre = Map.of("size", Map.of("height", imageSide, "width", imageSide));
            store.put(
                    Keys.model(name) + "preprocessor_config.json",
                    Json.write(pre).getBytes(StandardCharsets.UTF_8),
                    "application/json");
        }
    }

    /** {@code datasets/<dataset>/subsets/<subset>.json} with its manifest hash. */
    static void subset(ObjectStore store, String dataset, String subset, String sha256) {
        subset(store, dataset, subset, sha256, Map.of("train", new int[] {1, 2}, "val", new int[] {3}));
    }

    /** A subset manifest with question ids for the given splits only. */
    static void subset(ObjectStore store, String dataset, String subset, String sha256, Map<String, int[]> ids) {
        store.ensureBucket();
        Map<String, Object> manifest = Map.of("name", subset, "question_ids", ids, "sha256", sha256);
        store.put(
                Keys.subset(dataset, subset),
                Json.write(manifest).getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    /**
     * The example sweep of docs/architecture.md ("Sweep YAML") for a fresh model of this test: 25 trials nobody else
     * has.
     */
    static String designExample(ObjectStore store) {
        String model = unique("tiny");
        model(store, model, 3, null);
        subset(store, "synth-vqa", "10pct", "5a7f00d2");
        return resource("/sweeps/design-example.yaml").replace("model: tiny-florence2", "model: " + model);
    }

    /**
     * A sweep of {@code trials} avg_pool trials (factors 2, 3, ...) for a fresh model, with the given
     * {@code limits:} flow mapping (or none).
     */
    static String smallSweep(ObjectStore store, int trials, String limits) {
        String model = unique("small");
        model(store, model, 3, 128); // 16 grid tokens
        subset(store, "synth-vqa", "10pct", "5a7f00d2");
        StringBuilder factors = new StringBuilder();
        for (int f = 2; f < 2 + trials; f++) {
            factors.append(f == 2 ? "" : ", ").append(f);
        }
        return "name: small\nmodel: " + model + "\ndataset: {name: synth-vqa, subset: 10pct}\n"
                + "grid: {mode: [avg_pool], factor: [" + factors + "], stage: [0], sorted: [false]}\n"
                + (limits == null ? "" : "limits: " + limits + "\n");
    }

    /** Submits and returns the answer. */
    static io.restassured.path.json.JsonPath submit(String yaml) {
        return yaml(yaml).post("/sweeps").then().statusCode(201).extract().jsonPath();
    }

    /** The trial as the API shows it. */
    static io.restassured.path.json.JsonPath trial(String id) {
        return RestAssured.given()
                .get("/trials/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static io.restassured.path.json.JsonPath sweep(String id) {
        return RestAssured.given()
                .get("/sweeps/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static io.restassured.path.json.JsonPath post(String path) {
        return RestAssured.given()
                .header("Authorization", AUTH)
                .post(path)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static String resource(String path) {
        return new String(resourceBytes(path), StandardCharsets.UTF_8);
    }

    static byte[] resourceBytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
