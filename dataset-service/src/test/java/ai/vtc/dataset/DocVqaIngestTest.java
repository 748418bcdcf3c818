package ai.vtc.dataset;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.DatasetTask;
import ai.vtc.contracts.Json;
import ai.vtc.stack.testing.StackTestResource;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.docvqa.DocVqaFile;
import ai.vtc.vqa.synth.SyntheticDocVqa;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DocVQA data through the service: a DocVQA-layout folder and the synthetic DocVQA generator are stored in the VQAv2
 * layout with the task {@code docvqa} in the manifest, the answers kept as written; entries without answers or
 * images fail the job with a message naming the entry, and nothing is stored.
 */
@QuarkusTest
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "datasets"))
class DocVqaIngestTest {
    @TempDir
    static Path tmp;

    private static Path good;
    private final ObjectStore store = Fixtures.store();

    @BeforeAll
    static void docVqaFolder() throws IOException {
        good = tmp.resolve("good");
        SyntheticDocVqa.generate(
                good,
                SyntheticDocVqa.Options.defaults()
                        .withSeed(4)
                        .withDocuments(6, 3)
                        .withImageSize(96));
    }

    @Test
    void aDocVqaFolderIsStoredAsADocVqaDatasetWithSubsets() throws IOException {
        Fixtures.succeed(
                "/datasets/ingest",
                Map.of("name", "docs-folder", "folder", good.toString(), "task", "docvqa", "subsets", List.of("50%")));
        DatasetManifest manifest = Json.read(
                new String(store.get(Keys.datasetManifest("docs-folder")), StandardCharsets.UTF_8),
                DatasetManifest.class);
        assertEquals(DatasetTask.DOCVQA, manifest.task());
        assertEquals(3, manifest.splits().get("val").images());
        DocVqaFile val = DocVqaFile.read(good.resolve("val/val_v1.0.json"));
        assertEquals(val.size(), manifest.splits().get("val").questions());
        VqaAnnotations stored = VqaAnnotations.read(
                new ByteArrayInputStream(store.get(Keys.annotations("docs-folder", "val"))), "stored");
        int first = stored.indexOf(val.data().get(0).questionId());
        assertEquals(val.data().get(0).answers().get(0), stored.answer(first, 0));
        assertTrue(store.exists(Keys.image("docs-folder", "COCO_val_000000000001.png")));
        given().get("/datasets/docs-folder/subsets/50pct").then().statusCode(200);
    }

    @Test
    void theSyntheticDocVqaSetIsADocVqaDataset() throws IOException {
        Fixtures.succeed(
                "/datasets/synthetic-docvqa",
                Map.of("name", "docs-synth", "seed", 2, "questions", 40, "image_size", 96, "subsets", List.of("10%")));
        DatasetManifest manifest = Json.read(
                new String(store.get(Keys.datasetManifest("docs-synth")), StandardCharsets.UTF_8),
                DatasetManifest.class);
        assertEquals(DatasetTask.DOCVQA, manifest.datasetTask());
        assertEquals(
                40,
                manifest.splits().get("train").questions()
                        + manifest.splits().get("val").questions());
    }

    @Test
    void aSyntheticSetTooLargeForAnIntIsRefusedWithItsTrueSize() {
        // 2e9 documents x 8 questions wraps an int to a negative count, which would pass the limit
        String detail = Fixtures.given()
                .contentType("application/json")
                .body(Map.of(
                        "name",
                        "docs-too-large",
                        "train_documents",
                        1_000_000_000,
                        "val_documents",
                        1_000_000_000,
                        "questions_per_document",
                        8))
                .post("/datasets/synthetic-docvqa")
                .then()
                .statusCode(400)
                .extract()
                .path("detail");
        assertTrue(detail.contains("a synthetic set of 16000000000 questions is larger than the limit"), detail);
        given().get("/datasets/docs-too-large").then().statusCode(404);
    }

    @Test
    void anEntryWithoutAnswersFailsNamingIt() throws IOException {
        Path dir = Fixtures.copy(good, tmp.resolve("no-answers"));
        Path file = dir.resolve("val/val_v1.0.json");
        ObjectNode root = (ObjectNode) Json.mapper().readTree(file.toFile());
        ObjectNode entry = (ObjectNode) ((ArrayNode) root.get("data")).get(2);
        long id = entry.get("questionId").asLong();
        entry.remove("answers");
        Json.mapper().writeValue(file.toFile(), root);
        String message = fails("docs-no-answers", dir);
        assertTrue(message.contains("entry #2 (questionId " + id + ") has no \"answers\""), message);
        assertTrue(message.contains(file.toString()), message);
    }

    @Test
    void anEntryWhoseImageIsMissingFailsNamingIt() throws IOException {
        Path dir = Fixtures.copy(good, tmp.resolve("no-image"));
        DocVqaFile val = DocVqaFile.read(dir.resolve("val/val_v1.0.json"));
        String image = val.data().get(0).image();
        Files.delete(dir.resolve("val").resolve(image));
        String message = fails("docs-no-image", dir);
        assertTrue(
                message.contains(
                        "questionId " + val.data().get(0).questionId() + ": image '" + image + "' does not exist"),
                message);
    }

    private String fails(String name, Path dir) {
        JsonPath job = Fixtures.awaitJob(Fixtures.startJob(
                "/datasets/ingest",
                Map.of("name", name, "folder", dir.toString(), "task", "docvqa", "subsets", List.of("10%"))));
        assertEquals("failed", job.getString("state"), job.getString("message"));
        given().get("/datasets/" + name).then().statusCode(404);
        given().get("/datasets").then().statusCode(200).body("name", not(hasItem(name)));
        assertEquals(List.of(), Fixtures.objects(store, name), "objects of the failed ingest");
        return job.getString("message");
    }
}
