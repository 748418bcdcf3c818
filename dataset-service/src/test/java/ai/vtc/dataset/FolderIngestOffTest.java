package ai.vtc.dataset;

import static org.hamcrest.Matchers.containsString;

import ai.vtc.stack.testing.StackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without datasets.ingest-roots (the production default) no folder is read, whatever the request names. */
@QuarkusTest
@TestProfile(FolderIngestOffTest.NoIngestRoots.class)
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "datasets"))
class FolderIngestOffTest {
    public static class NoIngestRoots implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("datasets.ingest-roots", "");
        }
    }

    @TempDir
    Path tmp;

    @Test
    void folderIngestIsRefusedUnlessRootsAreConfigured() {
        Path folder = Fixtures.vqaFolder(tmp.resolve("vqa"), 3, "png");
        Fixtures.given()
                .contentType("application/json")
                .body(Map.of("name", "not-read", "folder", folder.toString()))
                .post("/datasets/ingest")
                .then()
                .statusCode(400)
                .body("detail", containsString("folder ingest is off"))
                .body("detail", containsString("datasets.ingest-roots"));
        Fixtures.given().get("/datasets/not-read").then().statusCode(404);
    }
}
