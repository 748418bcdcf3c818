package ai.vtc.dataset;

import static org.hamcrest.Matchers.containsString;

import ai.vtc.stack.testing.StackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes need the API token (the scheduler's), reads do not; a folder ingest reads only inside the configured
 * roots (here the test profile's temporary folder), links included.
 */
@QuarkusTest
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "datasets"))
class AccessTest {
    @TempDir
    Path tmp;

    @Test
    void changesWithoutTheTokenAreRefusedAndReadsAreOpen() {
        Map<String, Object> synthetic = Map.of("name", "no-token", "questions", 10);
        RestAssured.given()
                .contentType("application/json")
                .body(synthetic)
                .post("/datasets/synthetic")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("detail", containsString("datasets.api-token"));
        RestAssured.given()
                .header("Authorization", "Bearer not-the-token")
                .contentType("application/json")
                .body(Map.of("name", "no-token", "folder", tmp.toString()))
                .post("/datasets/ingest")
                .then()
                .statusCode(401);
        RestAssured.given()
                .contentType("application/json")
                .body(Map.of("size", "10%"))
                .post("/datasets/any/subsets")
                .then()
                .statusCode(401);
        RestAssured.given().get("/datasets").then().statusCode(200);
        RestAssured.given().get("/datasets/no-token").then().statusCode(404);
    }

    @Test
    void aFolderOutsideTheRootsOrLinkedOutsideIsRefused() throws Exception {
        Fixtures.given()
                .contentType("application/json")
                .body(Map.of("name", "outside", "folder", "/usr"))
                .post("/datasets/ingest")
                .then()
                .statusCode(400)
                .body("detail", containsString("outside the folders this service may read"));
        Path link = Files.createSymbolicLink(tmp.resolve("usr-link"), Path.of("/usr"));
        Fixtures.given()
                .contentType("application/json")
                .body(Map.of("name", "outside", "folder", link.toString()))
                .post("/datasets/ingest")
                .then()
                .statusCode(400)
                .body("detail", containsString("outside the folders this service may read"));
    }
}
