package ai.vtc.dataset;

import static ai.vtc.dataset.Fixtures.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.SubsetManifest;
import ai.vtc.stack.testing.StackTestResource;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.cli.VqaCommand;
import ai.vtc.vqa.subset.Selection;
import ai.vtc.vqa.subset.SubsetSize;
import ai.vtc.vqa.subset.Subsets;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertEquals(7L, count.count());
        assertNull(count.fraction(), "a count subset has no fraction");

        SubsetManifest byImage = create(Map.of("size", "25%", "selection", "image"), 201);
        assertEquals("25pct-images", byImage.name());
        assertEquals(SubsetManifest.IMAGE_SELECTION, byImage.selection());
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

    /**
     * One subset, one format: what the service serves and stores, what the vqa library makes and what
     * {@code vqa subset} writes are the same bytes, so the same sha256 (a fraction, a count, whole images).
     */
    @Test
    void everyPathMakesTheSameBytesAndHash(@TempDir Path dir) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        Map<String, VqaQuestions> splits = new TreeMap<>();
        for (String split : List.of("train", "val")) {
            Path file = dir.resolve(split + "-questions.json");
            Files.write(file, store.get(Keys.questions(DATASET, split)));
            files.put(split, file);
            splits.put(split, VqaQuestions.read(file));
        }
        record Path3(Map<String, Object> request, String name, String size, Selection by) {}
        for (Path3 path : List.of(
                new Path3(Map.of("size", "30%"), "30pct", "30%", Selection.QUESTION),
                new Path3(Map.of("count", 11), "n11", "11", Selection.QUESTION),
                new Path3(
                        Map.of("name", "40pct", "size", "40%", "selection", "image"),
                        "40pct",
                        "40%",
                        Selection.IMAGE))) {
            String served = json(path.request(), 201);
            String library = Subsets.manifest(DATASET, path.name(), 0, path.by(), SubsetSize.parse(path.size()), splits)
                    .toJson();
            Path out = dir.resolve("cli-" + path.name());
            List<String> args = new ArrayList<>(List.of("subset", "--dataset", DATASET, "--sizes", path.size()));
            files.forEach((split, file) -> args.addAll(List.of("--split", split + "=" + file)));
            args.addAll(List.of("--by", path.by().name(), "--out", out.toString()));
            assertEquals(0, VqaCommand.run(args.toArray(String[]::new)));
            String command = Files.readString(out.resolve(path.name() + ".json"));

            assertEquals(library, served, path.name() + ": service and library");
            assertEquals(library, command, path.name() + ": vqa subset and library");
            assertTrue(SubsetManifest.read(command, path.name()).verifies(), path.name() + ": sealed");
        }
    }

    /** POSTs a subset request, expects {@code status}, and returns the manifest as the API and S3 give it. */
    private SubsetManifest create(Map<String, Object> body, int status) {
        SubsetManifest manifest = SubsetManifest.read(json(body, status), "GET");
        assertTrue(manifest.verifies(), "sealed");
        return manifest;
    }

    /** POSTs a subset request, expects {@code status}, and returns the manifest JSON the API serves and S3 holds. */
    private String json(Map<String, Object> body, int status) {
        JsonPath view = given().contentType("application/json")
                .body(body)
                .post("/datasets/" + DATASET + "/subsets")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
        String name = view.getString("name");
        String served = given().get("/datasets/" + DATASET + "/subsets/" + name)
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .asString();
        assertEquals(served, new String(store.get(Keys.subset(DATASET, name)), StandardCharsets.UTF_8));
        assertEquals(view.getString("sha256"), SubsetManifest.read(served, name).sha256());
        return served;
    }
}
