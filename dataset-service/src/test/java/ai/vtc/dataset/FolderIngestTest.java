package ai.vtc.dataset;

import static ai.vtc.dataset.Fixtures.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.Json;
import ai.vtc.stack.testing.StackTestResource;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaQuestions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingests of real VQAv2-layout folders and S3 prefixes, compared byte for byte with their source. */
@QuarkusTest
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "datasets"))
class FolderIngestTest {
    private final ObjectStore store = Fixtures.store();

    @TempDir
    Path tmp;

    @Test
    void officialVqaFileNamesAreIngestedAsTheyAre() throws Exception {
        Path source = Fixtures.vqaFolder(tmp.resolve("official"), 5, "png");
        Files.writeString(source.resolve("README.txt"), "not part of any split");
        JsonPath job = Fixtures.succeed(
                "/datasets/ingest",
                Map.of("name", "folder-official", "folder", source.toString(), "subsets", List.of("10%")));
        assertEquals("folder", job.getString("kind"));
        assertEquals(20, job.getLong("done"), "16 train + 4 val images");

        DatasetManifest manifest = Json.read(
                new String(store.get(Keys.datasetManifest("folder-official")), StandardCharsets.UTF_8),
                DatasetManifest.class);
        assertEquals("folder " + source.toRealPath(), manifest.source());
        assertEquals(
                new DatasetManifest.Split(80, 16, "COCO_train2014_", "png"),
                manifest.splits().get("train"));
        assertEquals(
                new DatasetManifest.Split(20, 4, "COCO_val2014_", "png"),
                manifest.splits().get("val"));
        assertArrayEquals(
                Files.readAllBytes(source.resolve("v2_OpenEnded_mscoco_val2014_questions.json")),
                store.get(Keys.questions("folder-official", "val")));
        assertArrayEquals(
                Files.readAllBytes(source.resolve("v2_mscoco_train2014_annotations.json")),
                store.get(Keys.annotations("folder-official", "train")));
        VqaQuestions val = VqaQuestions.read(source.resolve("v2_OpenEnded_mscoco_val2014_questions.json"));
        String file = manifest.splits().get("val").imageFileName(val.imageId(0));
        assertArrayEquals(
                Files.readAllBytes(source.resolve("val2014").resolve(file)),
                store.get(Keys.image("folder-official", file)));
        assertEquals(
                1 + 2 + 2 + 20 + 1,
                Fixtures.objects(store, "folder-official").size(),
                "manifest, 2 questions, 2 annotations, 20 images, 1 subset; nothing else");
    }

    @Test
    void oneFolderPerSplitWithJpegImages() throws Exception {
        Path generated = Fixtures.vqaFolder(tmp.resolve("gen"), 6, "jpg");
        Path source = tmp.resolve("plain");
        for (String split : List.of("train", "val")) {
            Path dir = Files.createDirectories(source.resolve(split).resolve("images"));
            Files.copy(
                    generated.resolve("v2_OpenEnded_mscoco_" + split + "2014_questions.json"),
                    source.resolve(split).resolve("questions.json"));
            Files.copy(
                    generated.resolve("v2_mscoco_" + split + "2014_annotations.json"),
                    source.resolve(split).resolve("annotations.json"));
            try (Stream<Path> images = Files.list(generated.resolve(split + "2014"))) {
                for (Path image : images.toList()) {
                    Files.copy(image, dir.resolve(image.getFileName()));
                }
            }
            Files.writeString(dir.resolve(".DS_Store"), "hidden files are skipped");
        }
        Fixtures.succeed("/datasets/ingest", Map.of("name", "folder-plain", "folder", source.toString()));
        given().get("/datasets/folder-plain")
                .then()
                .statusCode(200)
                .body("manifest.splits.train.image_extension", org.hamcrest.Matchers.equalTo("jpg"))
                .body("manifest.splits.val.questions", org.hamcrest.Matchers.equalTo(20));
    }

    @Test
    void anS3PrefixOfTheSameLayout() throws Exception {
        Path source = Fixtures.vqaFolder(tmp.resolve("for-s3"), 7, "png");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                store.putFile(
                        "incoming/s3-src/" + source.relativize(f).toString().replace('\\', '/'), f);
            }
        }
        JsonPath job = Fixtures.succeed("/datasets/ingest", Map.of("name", "from-s3", "s3_prefix", "incoming/s3-src/"));
        assertEquals("s3", job.getString("kind"));
        DatasetManifest manifest = Json.read(
                new String(store.get(Keys.datasetManifest("from-s3")), StandardCharsets.UTF_8), DatasetManifest.class);
        assertEquals("s3://" + store.bucket() + "/incoming/s3-src/", manifest.source());
        assertArrayEquals(
                Files.readAllBytes(source.resolve("v2_mscoco_val2014_annotations.json")),
                store.get(Keys.annotations("from-s3", "val")));
        assertTrue(store.exists("incoming/s3-src/v2_mscoco_val2014_annotations.json"), "the source is left alone");
    }

    @Test
    void impossibleSourcesAreRejectedAtOnce() {
        post(Map.of("name", "nowhere", "folder", tmp.resolve("missing").toString()), 400, "does not exist");
        post(Map.of("name", "nowhere", "folder", "relative/path"), 400, "absolute");
        post(Map.of("name", "nowhere", "folder", tmp.toString(), "s3_prefix", "incoming/"), 400, "exactly one");
        post(Map.of("name", "nowhere", "s3_prefix", "incoming/empty-prefix/"), 400, "nothing under");
        post(Map.of("name", "nowhere", "s3_prefix", "datasets/"), 400, "overlaps");
        given().get("/datasets/nowhere").then().statusCode(404);
    }

    private static void post(Map<String, ?> body, int status, String detail) {
        given().contentType("application/json")
                .body(body)
                .post("/datasets/ingest")
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("detail", containsString(detail));
    }
}
