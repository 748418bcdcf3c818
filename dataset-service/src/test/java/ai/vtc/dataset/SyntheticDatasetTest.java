package ai.vtc.dataset;

import static ai.vtc.dataset.Fixtures.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.SubsetManifest;
import ai.vtc.stack.testing.StackTestResource;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.VqaQuestions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** A synthetic dataset made through the REST API, checked object by object in S3 and in the API's answers. */
@QuarkusTest
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "datasets"))
class SyntheticDatasetTest {
    private final ObjectStore store = Fixtures.store();

    @Test
    void syntheticDatasetHasConsistentManifestImagesAndNestedSubsets() throws Exception {
        JsonPath job = Fixtures.succeed(
                "/datasets/synthetic",
                Map.of(
                        "name", "synth-a",
                        "seed", 3,
                        "questions", 200,
                        "image_size", 64,
                        "families", List.of("count", "color", "exists"),
                        "subsets", List.of("1%", "5%", "10%"),
                        "subset_seed", 11));
        assertEquals("done", job.getString("phase"));
        assertEquals(job.getLong("total"), job.getLong("done"));
        assertTrue(job.getString("message").contains("dataset synth-a published"), job.getString("message"));

        // the manifest in S3 is the one the API shows, and it describes what is there
        DatasetManifest manifest = Json.read(
                new String(store.get(Keys.datasetManifest("synth-a")), StandardCharsets.UTF_8), DatasetManifest.class);
        assertEquals(Set.of("train", "val"), manifest.splits().keySet());
        assertTrue(manifest.source().startsWith("synthetic seed=3"), manifest.source());
        JsonPath detail = given().get("/datasets/synth-a")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(manifest.splits().get("val").questions(), detail.getInt("manifest.splits.val.questions"));
        assertEquals("COCO_val2014_", detail.getString("manifest.splits.val.image_prefix"));
        assertEquals("png", detail.getString("manifest.splits.val.image_extension"));

        int allQuestions = 0;
        Set<String> imageKeys = new HashSet<>(store.list(Keys.dataset("synth-a") + "images/"));
        for (Map.Entry<String, DatasetManifest.Split> e : manifest.splits().entrySet()) {
            String split = e.getKey();
            VqaQuestions questions;
            try (InputStream in = store.open(Keys.questions("synth-a", split))) {
                questions = VqaQuestions.read(in, split);
            }
            VqaAnnotations annotations;
            try (InputStream in = store.open(Keys.annotations("synth-a", split))) {
                annotations = VqaAnnotations.read(in, split);
            }
            annotations.checkMatches(questions);
            assertEquals(e.getValue().questions(), questions.size());
            Set<Long> images = new HashSet<>();
            for (int q = 0; q < questions.size(); q++) {
                images.add(questions.imageId(q));
                String key = Keys.image("synth-a", e.getValue().imageFileName(questions.imageId(q)));
                assertTrue(imageKeys.contains(key), "image of question " + questions.questionId(q) + ": " + key);
            }
            assertEquals(e.getValue().images(), images.size());
            allQuestions += questions.size();
        }
        assertEquals(200, allQuestions);
        assertEquals(
                manifest.splits().values().stream()
                        .mapToInt(DatasetManifest.Split::images)
                        .sum(),
                imageKeys.size());
        BufferedImage first = ImageIO.read(
                new ByteArrayInputStream(store.get(imageKeys.iterator().next())));
        assertEquals(64, first.getWidth());

        // the subsets of the request: sealed, nested 1% in 5% in 10% per split, listed with the dataset
        SubsetManifest one = subset("synth-a", "1pct-seed11");
        SubsetManifest five = subset("synth-a", "5pct-seed11");
        SubsetManifest ten = subset("synth-a", "10pct-seed11");
        for (String split : List.of("train", "val")) {
            assertTrue(five.ids(split).containsAll(one.ids(split)));
            assertTrue(ten.ids(split).containsAll(five.ids(split)));
            assertEquals(
                    Math.round(0.10 * manifest.splits().get(split).questions()),
                    ten.ids(split).size());
        }
        assertEquals(List.of("1pct-seed11", "5pct-seed11", "10pct-seed11"), detail.getList("subsets.name"));
        assertEquals(ten.sha256(), detail.getString("subsets.find { it.name == '10pct-seed11' }.sha256"));

        given().get("/datasets")
                .then()
                .statusCode(200)
                .body(
                        "find { it.name == 'synth-a' }.splits.train.questions",
                        org.hamcrest.Matchers.equalTo(
                                manifest.splits().get("train").questions()));
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("datasets_jobs_total{kind=\"synthetic\",outcome=\"succeeded\"}"))
                .body(containsString("datasets_images_ingested_total"));
    }

    @Test
    void jobProgressIsReportedWhileRunningAndAfter() {
        String id = Fixtures.startJob(
                "/datasets/synthetic",
                Map.of(
                        "name",
                        "synth-progress",
                        "train_images",
                        30,
                        "val_images",
                        10,
                        "image_size",
                        32,
                        "questions_per_image",
                        2));
        JsonPath queued = given().get("/datasets/jobs/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("synth-progress", queued.getString("dataset"));
        assertEquals("synthetic", queued.getString("kind"));
        JsonPath done = given().queryParam("wait", 120)
                .get("/datasets/jobs/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("succeeded", done.getString("state"));
        assertEquals(40, done.getLong("total"), "the images phase counts the images");
        given().get("/datasets/jobs/no-such-job").then().statusCode(404);
        given().get("/datasets/jobs").then().statusCode(200).body("id", org.hamcrest.Matchers.hasItem(id));
    }

    @Test
    void invalidSyntheticOptionsAreRejectedBeforeAnyJob() {
        given().contentType("application/json")
                .body(Map.of("name", "synth-bad", "image_size", 8))
                .post("/datasets/synthetic")
                .then()
                .statusCode(400)
                .body("detail", containsString("imageSize"));
        given().contentType("application/json")
                .body(Map.of("name", "synth-bad", "families", List.of("colour-of-the-sky")))
                .post("/datasets/synthetic")
                .then()
                .statusCode(400)
                .body("detail", containsString("unknown question family"));
        given().contentType("application/json")
                .body(Map.of("name", "synth-bad", "questions", 10_000_000))
                .post("/datasets/synthetic")
                .then()
                .statusCode(400)
                .body("detail", containsString("limit"));
        // (2e9 images x 1000 questions) overflows an int to a negative count, which once passed the limit
        given().contentType("application/json")
                .body(Map.of(
                        "name",
                        "synth-bad",
                        "train_images",
                        1_000_000_000,
                        "val_images",
                        1_000_000_000,
                        "questions_per_image",
                        1000))
                .post("/datasets/synthetic")
                .then()
                .statusCode(400)
                .body("detail", containsString("a synthetic set of 2000000000000 questions is larger than the limit"));
        given().get("/datasets/synth-bad").then().statusCode(404);
    }

    private SubsetManifest subset(String dataset, String name) {
        SubsetManifest fromS3 = Json.read(
                new String(store.get(Keys.subset(dataset, name)), StandardCharsets.UTF_8), SubsetManifest.class);
        assertTrue(fromS3.verifies(), name + " is sealed with the sha256 of its content");
        SubsetManifest fromApi = Json.read(
                given().get("/datasets/" + dataset + "/subsets/" + name)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString(),
                SubsetManifest.class);
        assertEquals(fromS3, fromApi);
        return fromS3;
    }
}
