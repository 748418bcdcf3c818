package ai.vtc.dataset;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.SubsetManifest;
import ai.vtc.stack.testing.StackTestResource;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaQuestions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Subsets and question pages through the REST API, on one synthetic dataset made with two calls (the demo path:
 * create the dataset, poll the job, create a subset).
 */
@QuarkusTest
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "datasets"))
class SubsetApiTest {
    private static final String DATASET = "subsets-ds";
    private static boolean created;
    private final ObjectStore store = Fixtures.store();

    @BeforeEach
    void dataset() {
        if (!created) {
            Fixtures.succeed(
                    "/datasets/synthetic", Map.of("name", DATASET, "seed", 1, "questions", 300, "image_size", 32));
            created = true;
        }
    }

    @Test
    void nestedSubsetsOfOneSeedContainEachOther() {
        SubsetManifest one = create(Map.of("size", "1%", "seed", 42), 201);
        SubsetManifest five = create(Map.of("fraction", 0.05, "seed", 42), 201);
        SubsetManifest ten = create(Map.of("size", "10%", "seed", 42), 201);
        assertEquals("1pct-seed42", one.name());
        assertEquals(0.05, five.fraction());
        for (String split : List.of("train", "val")) {
            assertTrue(five.ids(split).containsAll(one.ids(split)), split);
            assertTrue(ten.ids(split).containsAll(five.ids(split)), split);
            assertTrue(one.ids(split).size() < five.ids(split).size(), split);
            List<Long> sorted = new ArrayList<>(ten.ids(split));
            sorted.sort(Long::compare);
            assertEquals(sorted, ten.ids(split), "ids ascending");
        }
        assertEquals(24, ten.ids("train").size(), "10% of 240 train questions");
        assertEquals(6, ten.ids("val").size(), "10% of 60 val questions");

        // another seed, another subset
        SubsetManifest otherSeed = create(Map.of("size", "10%", "seed", 43), 201);
        assertNotEquals(ten.ids("train"), otherSeed.ids("train"));
    }

    @Test
    void theSameSubsetAgainIsTheExistingOneAndOtherContentUnderItsNameIsAConflict() {
        SubsetManifest first = create(Map.of("name", "again", "size", "20%", "seed", 5), 201);
        SubsetManifest second = create(Map.of("name", "again", "size", "20%", "seed", 5), 200);
        assertEquals(first.sha256(), second.sha256());
        given().contentType("application/json")
                .body(Map.of("name", "again", "size", "20%", "seed", 6))
                .post("/datasets/" + DATASET + "/subsets")
                .then()
                .statusCode(409)
                .body("detail", containsString(first.sha256()));
    }

    @Test
    void countsAndWholeImages() throws Exception {
        SubsetManifest count = create(Map.of("count", 7), 201);
        assertEquals("n7", count.name());
        assertEquals(7, count.ids("train").size());
        assertEquals(7, count.ids("val").size());
        assertTrue(count.fraction() > 0 && count.fraction() <= 1);

        SubsetManifest byImage = create(Map.of("size", "25%", "selection", "image"), 201);
        assertEquals("25pct-images", byImage.name());
        VqaQuestions val;
        try (InputStream in = store.open(Keys.questions(DATASET, "val"))) {
            val = VqaQuestions.read(in, "val");
        }
        Set<Long> chosen = new HashSet<>(byImage.ids("val"));
        Set<Long> images = new HashSet<>();
        for (int q = 0; q < val.size(); q++) {
            if (chosen.contains(val.questionId(q))) {
                images.add(val.imageId(q));
            }
        }
        assertEquals(3, images.size(), "25% of 12 val images");
        for (int q = 0; q < val.size(); q++) {
            assertEquals(
                    images.contains(val.imageId(q)),
                    chosen.contains(val.questionId(q)),
                    "every question of a chosen image");
        }
        given().get("/datasets/" + DATASET + "/subsets")
                .then()
                .statusCode(200)
                .body("find { it.name == '25pct-images' }.selection", equalTo("image"))
                .body("find { it.name == 'n7' }.count", equalTo(7))
                .body("find { it.name == 'n7' }.questions.val", equalTo(7));
    }

    @Test
    void badSubsetRequests() {
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("fraction", 0.0),
                Map.of("fraction", 1.5),
                Map.of("fraction", 0.1, "count", 3),
                Map.of("seed", 1),
                Map.of("size", "lots"),
                Map.of("size", "5%", "selection", "pixels"),
                Map.of("size", "5%", "name", "x..y"),
                Map.of("size", "5%", "name", "../x"))) {
            given().contentType("application/json")
                    .body(body)
                    .post("/datasets/" + DATASET + "/subsets")
                    .then()
                    .statusCode(400);
        }
        given().contentType("application/json")
                .body(Map.of("size", "5%"))
                .post("/datasets/no-such-dataset/subsets")
                .then()
                .statusCode(404);
        given().get("/datasets/" + DATASET + "/subsets/no-such-subset").then().statusCode(404);
        assertEquals(List.of(), store.list(Keys.dataset(DATASET) + "subsets/x"));
    }

    @Test
    void questionPagesGiveWhatAWorkerStreams() {
        SubsetManifest subset = create(Map.of("name", "pages", "size", "50%", "seed", 3), 201);
        List<Long> ids = subset.ids("val");
        List<Long> seen = new ArrayList<>();
        Integer offset = 0;
        while (offset != null) {
            JsonPath page = given().queryParam("subset", "pages")
                    .queryParam("offset", offset)
                    .queryParam("limit", 7)
                    .get("/datasets/" + DATASET + "/splits/val/questions")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertEquals(ids.size(), page.getInt("total"));
            assertEquals(subset.sha256(), page.getString("subset_sha256"));
            for (Map<String, Object> q : page.<Map<String, Object>>getList("questions")) {
                long questionId = ((Number) q.get("question_id")).longValue();
                long imageId = ((Number) q.get("image_id")).longValue();
                seen.add(questionId);
                assertEquals(Keys.image(DATASET, String.format("COCO_val2014_%012d.png", imageId)), q.get("image_key"));
                assertTrue(store.exists((String) q.get("image_key")));
                assertTrue(((String) q.get("question")).endsWith("?"));
            }
            offset = page.get("next_offset");
        }
        assertEquals(ids, seen);

        JsonPath all = given().queryParam("limit", 1000)
                .get("/datasets/" + DATASET + "/splits/train/questions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(240, all.getInt("total"));
        assertEquals(240, all.getList("questions").size());
        assertNull(all.get("next_offset"));
        given().get("/datasets/" + DATASET + "/splits/test/questions").then().statusCode(404);
        given().queryParam("subset", "missing")
                .get("/datasets/" + DATASET + "/splits/val/questions")
                .then()
                .statusCode(404);
        given().queryParam("limit", 0)
                .get("/datasets/" + DATASET + "/splits/val/questions")
                .then()
                .statusCode(400);
    }

    /** POSTs a subset request, expects {@code status}, and returns the manifest as the API and S3 give it. */
    private SubsetManifest create(Map<String, Object> body, int status) {
        JsonPath view = given().contentType("application/json")
                .body(body)
                .post("/datasets/" + DATASET + "/subsets")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
        String name = view.getString("name");
        SubsetManifest manifest = Json.read(
                given().get("/datasets/" + DATASET + "/subsets/" + name)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString(),
                SubsetManifest.class);
        assertTrue(manifest.verifies(), "sealed");
        assertEquals(view.getString("sha256"), manifest.sha256());
        assertEquals(
                manifest,
                Json.read(
                        new String(store.get(Keys.subset(DATASET, name)), StandardCharsets.UTF_8),
                        SubsetManifest.class));
        return manifest;
    }
}
