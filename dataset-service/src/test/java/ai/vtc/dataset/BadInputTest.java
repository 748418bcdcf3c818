package ai.vtc.dataset;

import static ai.vtc.dataset.Fixtures.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Json;
import ai.vtc.stack.testing.StackTestResource;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaQuestions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input: the job (or the request) fails with a message naming the file and the id, and nothing of
 * the dataset is visible afterwards, neither through the API nor as an object in S3.
 */
@QuarkusTest
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "datasets"))
class BadInputTest {
    private static final String VAL_QUESTIONS = "v2_OpenEnded_mscoco_val2014_questions.json";
    private static final String VAL_ANNOTATIONS = "v2_mscoco_val2014_annotations.json";
    private static final String TRAIN_QUESTIONS = "v2_OpenEnded_mscoco_train2014_questions.json";
    private static final String TRAIN_ANNOTATIONS = "v2_mscoco_train2014_annotations.json";

    @TempDir
    static Path tmp;

    private static Path good;
    private final ObjectStore store = Fixtures.store();

    @BeforeAll
    static void goodFolder() {
        good = Fixtures.vqaFolder(tmp.resolve("good"), 9, "png");
    }

    @Test
    void malformedJson() throws IOException {
        Path dir = variant("malformed");
        byte[] bytes = Files.readAllBytes(dir.resolve(VAL_QUESTIONS));
        Files.write(dir.resolve(VAL_QUESTIONS), Arrays.copyOf(bytes, bytes.length / 2));
        String message = fails("malformed", dir);
        assertTrue(message.contains(dir.resolve(VAL_QUESTIONS).toString()), message);
        assertTrue(message.contains("malformed JSON") && message.contains("line"), message);
    }

    @Test
    void questionWithoutAnnotation() throws IOException {
        Path dir = variant("no-annotation");
        ObjectNode annotations = read(dir.resolve(VAL_ANNOTATIONS));
        long id = ((ArrayNode) annotations.get("annotations"))
                .remove(3)
                .get("question_id")
                .asLong();
        write(dir.resolve(VAL_ANNOTATIONS), annotations);
        String message = fails("no-annotation", dir);
        assertTrue(message.contains("1 questions without an annotation (" + id + ")"), message);
        assertTrue(message.contains(VAL_QUESTIONS) && message.contains(VAL_ANNOTATIONS), message);
    }

    @Test
    void annotationWithoutQuestion() throws IOException {
        Path dir = variant("no-question");
        ObjectNode questions = read(dir.resolve(TRAIN_QUESTIONS));
        long id = ((ArrayNode) questions.get("questions"))
                .remove(7)
                .get("question_id")
                .asLong();
        write(dir.resolve(TRAIN_QUESTIONS), questions);
        String message = fails("no-question", dir);
        assertTrue(message.contains("1 annotations without a question (" + id + ")"), message);
        assertTrue(message.contains(TRAIN_QUESTIONS) && message.contains(TRAIN_ANNOTATIONS), message);
    }

    @Test
    void annotationsFileWithoutQuestionsFile() throws IOException {
        Path dir = variant("no-questions-file");
        Files.delete(dir.resolve(VAL_QUESTIONS));
        String message = fails("no-questions-file", dir);
        assertTrue(message.contains("annotations without questions: " + VAL_ANNOTATIONS), message);
    }

    @Test
    void missingImage() throws IOException {
        Path dir = variant("missing-image");
        VqaQuestions val = VqaQuestions.read(dir.resolve(VAL_QUESTIONS));
        String file = String.format("COCO_val2014_%012d.png", val.imageId(0));
        Files.delete(dir.resolve("val2014").resolve(file));
        String message = fails("missing-image", dir);
        assertTrue(message.contains("missing image for image_id " + val.imageId(0)), message);
        assertTrue(
                message.contains("question_id " + val.questionId(0)) && message.contains("val2014/" + file), message);
    }

    @Test
    void unreadableImageAfterOthersWereUploadedLeavesNothingAndFreesTheName() throws IOException {
        Path dir = variant("unreadable");
        VqaQuestions val = VqaQuestions.read(dir.resolve(VAL_QUESTIONS));
        long last = val.imageId(val.size() - 1);
        Path image = dir.resolve("val2014").resolve(String.format("COCO_val2014_%012d.png", last));
        byte[] png = Files.readAllBytes(image);
        Files.write(image, Arrays.copyOf(png, png.length / 3));
        String message = fails("unreadable", dir);
        assertTrue(message.contains(image.toString()) && message.contains("image_id " + last), message);
        assertTrue(message.contains("unreadable"), message);

        Files.write(image, png);
        Fixtures.succeed("/datasets/ingest", Map.of("name", "unreadable", "folder", dir.toString()));
        given().get("/datasets/unreadable").then().statusCode(200);
    }

    @Test
    void notAnImageAtAll() throws IOException {
        Path dir = variant("not-image");
        VqaQuestions train = VqaQuestions.read(dir.resolve(TRAIN_QUESTIONS));
        Path image = dir.resolve("train2014").resolve(String.format("COCO_train2014_%012d.png", train.imageId(0)));
        Files.writeString(image, "this is text");
        String message = fails("not-image", dir);
        assertTrue(message.contains(image.toString()) && message.contains("neither JPEG nor PNG"), message);
    }

    @Test
    void duplicateQuestionIdInOneFile() throws IOException {
        Path dir = variant("duplicate");
        ObjectNode questions = read(dir.resolve(VAL_QUESTIONS));
        ArrayNode list = (ArrayNode) questions.get("questions");
        list.add(list.get(2).deepCopy());
        write(dir.resolve(VAL_QUESTIONS), questions);
        String message = fails("duplicate", dir);
        assertTrue(
                message.contains("duplicate question_id "
                        + list.get(2).get("question_id").asLong()),
                message);
        assertTrue(message.contains(dir.resolve(VAL_QUESTIONS).toString()), message);
    }

    @Test
    void duplicateQuestionIdAcrossSplits() throws IOException {
        Path dir = variant("duplicate-splits");
        ObjectNode trainQ = read(dir.resolve(TRAIN_QUESTIONS));
        ObjectNode trainA = read(dir.resolve(TRAIN_ANNOTATIONS));
        ObjectNode valQ = read(dir.resolve(VAL_QUESTIONS));
        ObjectNode valA = read(dir.resolve(VAL_ANNOTATIONS));
        JsonNode q = valQ.get("questions").get(0);
        ObjectNode copy = trainQ.get("questions").get(0).deepCopy();
        copy.put("question_id", q.get("question_id").asLong());
        ((ArrayNode) trainQ.get("questions")).add(copy);
        ObjectNode copyA = trainA.get("annotations").get(0).deepCopy();
        copyA.put("question_id", q.get("question_id").asLong());
        ((ArrayNode) trainA.get("annotations")).add(copyA);
        write(dir.resolve(TRAIN_QUESTIONS), trainQ);
        write(dir.resolve(TRAIN_ANNOTATIONS), trainA);
        String message = fails("duplicate-splits", dir);
        assertTrue(
                message.contains("duplicate question_id " + q.get("question_id").asLong()), message);
        assertTrue(message.contains(TRAIN_QUESTIONS) && message.contains(VAL_QUESTIONS), message);
        assertTrue(valA.size() > 0);
    }

    @Test
    void imageFileNamesMustBeCocoNames() throws IOException {
        Path dir = variant("bad-file-name");
        Files.writeString(dir.resolve("val2014").resolve("COCO_val2014_000000000001..png"), "x");
        String message = fails("bad-file-name", dir);
        assertTrue(
                message.contains("val2014/COCO_val2014_000000000001..png") && message.contains("not a COCO image name"),
                message);

        Path mixed = variant("mixed-images");
        Files.writeString(mixed.resolve("val2014").resolve("COCO_val2014_000000000001.jpg"), "x");
        assertTrue(fails("mixed-images", mixed).contains("one prefix and extension per split"));
    }

    @Test
    void unsafeNamesAreRejectedBeforeAnything() {
        for (String name : List.of("../evil", "a..b", "..", "/abs", "a/b", "")) {
            given().contentType("application/json")
                    .body(Map.of("name", name, "folder", good.toString()))
                    .post("/datasets/ingest")
                    .then()
                    .statusCode(400)
                    .body("detail", containsString("not a valid name"));
        }
        given().contentType("application/json")
                .body(Map.of("name", "jobs", "questions", 50))
                .post("/datasets/synthetic")
                .then()
                .statusCode(400)
                .body("detail", containsString("endpoint"));
        given().contentType("application/json")
                .body(Map.of("name", "a..b", "questions", 50))
                .post("/datasets/synthetic")
                .then()
                .statusCode(400);
        given().contentType("application/json")
                .body(Map.of("name", "ok-name", "s3_prefix", "incoming/../datasets/x"))
                .post("/datasets/ingest")
                .then()
                .statusCode(400)
                .body("detail", containsString("'..'"));
        assertEquals(List.of(), store.list("datasets/a..b/"));
        assertEquals(List.of(), store.list("evil/"));
    }

    @Test
    void anExistingDatasetIsNeverOverwritten() throws IOException {
        Fixtures.succeed("/datasets/ingest", Map.of("name", "exists-a", "folder", good.toString()));
        byte[] manifest = store.get(Keys.datasetManifest("exists-a"));
        List<String> objects = Fixtures.objects(store, "exists-a");

        Path other = Fixtures.vqaFolder(tmp.resolve("other"), 10, "png");
        given().contentType("application/json")
                .body(Map.of("name", "exists-a", "folder", other.toString()))
                .post("/datasets/ingest")
                .then()
                .statusCode(409)
                .body("detail", containsString("never overwritten"));
        given().contentType("application/json")
                .body(Map.of("name", "exists-a", "questions", 20))
                .post("/datasets/synthetic")
                .then()
                .statusCode(409);
        assertArrayEquals(manifest, store.get(Keys.datasetManifest("exists-a")));
        assertEquals(objects, Fixtures.objects(store, "exists-a"));

        // a dataset only in object storage (another service's database, a copy) counts as well
        store.put(
                Keys.datasetManifest("foreign"),
                "{\"name\":\"foreign\"}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        given().contentType("application/json")
                .body(Map.of("name", "foreign", "folder", other.toString()))
                .post("/datasets/ingest")
                .then()
                .statusCode(409)
                .body("detail", containsString("foreign/manifest.json"));
        assertEquals("{\"name\":\"foreign\"}", new String(store.get(Keys.datasetManifest("foreign"))));
    }

    @Test
    void badDataFromAnS3PrefixIsNamedByItsUri() throws IOException {
        Path dir = variant("s3-malformed");
        Files.writeString(dir.resolve(VAL_ANNOTATIONS), "{\"annotations\": [ {\"question_id\": 1,, }");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                store.putFile("incoming/s3-bad/" + dir.relativize(f).toString().replace('\\', '/'), f);
            }
        }
        JsonPath job = Fixtures.awaitJob(
                Fixtures.startJob("/datasets/ingest", Map.of("name", "s3-malformed", "s3_prefix", "incoming/s3-bad")));
        assertEquals("failed", job.getString("state"));
        assertTrue(
                job.getString("message").contains("s3://" + store.bucket() + "/incoming/s3-bad/" + VAL_ANNOTATIONS),
                job.getString("message"));
        assertNothingVisible("s3-malformed");
    }

    /** A copy of the good folder to spoil. */
    private static Path variant(String name) {
        return Fixtures.copy(good, tmp.resolve(name));
    }

    private String fails(String name, Path dir) {
        JsonPath job = Fixtures.awaitJob(Fixtures.startJob(
                "/datasets/ingest", Map.of("name", name, "folder", dir.toString(), "subsets", List.of("10%"))));
        assertEquals("failed", job.getString("state"), job.getString("message"));
        assertNothingVisible(name);
        return job.getString("message");
    }

    private void assertNothingVisible(String name) {
        given().get("/datasets/" + name).then().statusCode(404);
        given().get("/datasets").then().statusCode(200).body("name", not(hasItem(name)));
        given().get("/datasets/" + name + "/subsets/10pct").then().statusCode(404);
        assertEquals(List.of(), Fixtures.objects(store, name), "objects of the failed ingest");
    }

    private static ObjectNode read(Path file) throws IOException {
        return (ObjectNode) Json.mapper().readTree(file.toFile());
    }

    private static void write(Path file, JsonNode json) throws IOException {
        Json.mapper().writeValue(file.toFile(), json);
    }
}
