package ai.vtc.dataset;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.fail;

import ai.vtc.stack.StackConfig;
import ai.vtc.stack.testing.TestStack;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.synth.SyntheticVqa;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Small VQAv2 folders, an independent S3 client on the test stack, and REST helpers shared by the tests. */
public final class Fixtures {
    /** The local stack's token, which the test profile gives the service (datasets.api-token). */
    public static final String TOKEN = "vtc-local-token";

    private Fixtures() {}

    /** A request with the API token every change needs (harmless on reads). */
    public static RequestSpecification given() {
        return RestAssured.given().header("Authorization", "Bearer " + TOKEN);
    }

    /** A client of the stack's S3 server built from the stack's own credentials, not from the service's beans. */
    static ObjectStore store() {
        StackConfig config = TestStack.get().config();
        return new ObjectStore(
                config.s3Endpoint(),
                config.s3().accessKey(),
                config.s3().secretKey(),
                config.s3().bucket());
    }

    /**
     * A synthetic set in the official VQAv2 layout: 16 train and 4 val images of 32 px, 5 questions each (100
     * questions), {@code v2_OpenEnded_mscoco_<split>2014_questions.json} and {@code <split>2014/COCO_...png}.
     */
    static Path vqaFolder(Path dir, long seed, String format) {
        try {
            SyntheticVqa.generate(
                    dir,
                    SyntheticVqa.Options.defaults()
                            .withSeed(seed)
                            .withImages(16, 4)
                            .withImageSize(32)
                            .withImageFormat(format));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path copy(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSTs {@code body} as JSON to {@code path}, expects 202 and returns the job id. */
    static String startJob(String path, Map<String, ?> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(path)
                .then()
                .statusCode(202)
                .header("Location", containsString("/datasets/jobs/"))
                .extract()
                .path("id");
    }

    /** Polls {@code GET /datasets/jobs/{id}} until the job has finished; its last state. */
    static JsonPath awaitJob(String id) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonPath job = given().when()
                    .get("/datasets/jobs/" + id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            String state = job.getString("state");
            if (state.equals("succeeded") || state.equals("failed")) {
                return job;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        StringBuilder threads = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            threads.append('\n').append(thread.getName()).append(' ').append(thread.getState());
            for (StackTraceElement frame : stack) {
                threads.append("\n    at ").append(frame);
            }
        });
        System.out.println("threads when job " + id + " timed out:" + threads);
        return fail("job " + id + " did not finish within 120 s");
    }

    /** Starts a job and waits for it to succeed; fails with the job's message otherwise. */
    static JsonPath succeed(String path, Map<String, ?> body) {
        JsonPath job = awaitJob(startJob(path, body));
        if (!job.getString("state").equals("succeeded")) {
            fail("job failed: " + job.getString("message"));
        }
        return job;
    }

    /** Every object of dataset {@code name}. */
    static List<String> objects(ObjectStore store, String name) {
        return store.list(Keys.dataset(name));
    }
}
