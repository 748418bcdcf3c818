package ai.vtc.scheduler;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * What an anonymous caller on the network gets: reads of sweeps and trials, but no presigned checkpoint links (they
 * are bucket credentials while they last), and no Swagger UI in a packaged scheduler.
 */
@QuarkusTest
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class AccessTest {
    @Test
    void checkpointLinksNeedTheTokenAndOtherReadsDoNot() {
        RestAssured.given()
                .get("/trials/0123456789abcdef/checkpoints")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("detail", containsString("to list checkpoints"));
        RestAssured.given()
                .header("Authorization", "Bearer not-the-token")
                .get("/trials/0123456789abcdef/checkpoints/")
                .then()
                .statusCode(401);
        RestAssured.given()
                .header("Authorization", Fixtures.AUTH)
                .get("/trials/0123456789abcdef/checkpoints")
                .then()
                .statusCode(404);
        RestAssured.given().get("/trials/0123456789abcdef").then().statusCode(404);
        RestAssured.given().get("/sweeps").then().statusCode(200);
    }

    @Test
    void swaggerUiIsNotBuiltIntoAPackagedScheduler() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = AccessTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        // Quarkus includes the UI in dev and test only, unless this build-time key says otherwise
        properties.stringPropertyNames().stream()
                .filter(key -> key.endsWith("quarkus.swagger-ui.always-include"))
                .forEach(key -> assertFalse(Boolean.parseBoolean(properties.getProperty(key)), key));
    }
}
