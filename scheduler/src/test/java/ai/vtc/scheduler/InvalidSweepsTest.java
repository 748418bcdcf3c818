package ai.vtc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.scheduler.persistence.OutboxEntity;
import ai.vtc.scheduler.persistence.SweepEntity;
import ai.vtc.scheduler.persistence.TrialEntity;
import ai.vtc.storage.ObjectStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code invalid-sweeps/} is rejected with exactly the problems its {@code # expect: path | message}
 * lines name (the message may be a prefix or a part), as a 400 problem, and leaves no sweep, trial or outbox row.
 */
@QuarkusTest
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class InvalidSweepsTest {
    private static final String EXPECT = "# expect:";

    @Inject
    ObjectStore store;

    record Expected(String path, String message) {}

    @BeforeEach
    void modelsAndSubsets() {
        Fixtures.model(store, "tiny-florence2", 3, 128); // 4 x 4 = 16 grid tokens
        Fixtures.model(store, "tiny-florence2-nosize", 3, null);
        Fixtures.subset(store, "synth-vqa", "10pct", "5a7f00d2");
        Fixtures.subset(store, "synth-vqa", "train-only", "77a1", Map.of("train", new int[] {1, 2}));
        Fixtures.subset(store, "synth-vqa", "val-only", "77a2", Map.of("val", new int[] {3}));
    }

    static Stream<String> files() throws IOException, URISyntaxException {
        Path dir =
                Path.of(InvalidSweepsTest.class.getResource("/invalid-sweeps").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @Test
    void theTableHasAtLeastThirtyCases() throws Exception {
        assertTrue(files().count() >= 30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void isRejectedWithEveryProblemAndLeavesNoTrace(String file) {
        // bytes as they are: a case may hold bytes that are not UTF-8, which the expectations (ASCII) do not
        byte[] document = Fixtures.resourceBytes("/invalid-sweeps/" + file);
        List<Expected> expected = new String(document, StandardCharsets.ISO_8859_1)
                .lines()
                .filter(l -> l.startsWith(EXPECT))
                .map(l -> l.substring(EXPECT.length()).split("\\|", 2))
                .map(parts -> new Expected(parts[0].trim(), parts[1].trim()))
                .toList();
        assertTrue(!expected.isEmpty(), file + " names no expected problem");
        long[] before = counts();

        Response response = Fixtures.yaml(document).post("/sweeps");

        assertEquals(400, response.statusCode(), response.asString());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        JsonPath body = response.jsonPath();
        assertEquals(400, body.getInt("status"));
        List<Map<String, String>> errors = body.getList("errors");
        for (Expected e : expected) {
            assertTrue(
                    errors.stream()
                            .anyMatch(p -> p.get("path").equals(e.path())
                                    && p.get("message").contains(e.message())),
                    () -> file + ": expected " + e + " in " + errors);
        }
        assertEquals(expected.size(), errors.size(), () -> file + ": unexpected problems " + errors);
        long[] after = counts();
        assertEquals(before[0], after[0], "a sweep was stored");
        assertEquals(before[1], after[1], "a trial was stored");
        assertTrue(after[2] <= before[2], "an outbox row was written");
    }

    @Test
    void anOversizedDocumentIsRejectedBeforeParsing() {
        String yaml = "name: big\n# " + "x".repeat(70_000) + "\n";
        Response response = Fixtures.yaml(yaml).post("/sweeps");
        assertEquals(400, response.statusCode());
        assertEquals("", response.jsonPath().getString("errors[0].path"));
        assertTrue(response.jsonPath().getString("errors[0].message").contains("at most 65536 are allowed"));
    }

    private static long[] counts() {
        return QuarkusTransaction.requiringNew()
                .call(() -> new long[] {SweepEntity.count(), TrialEntity.count(), OutboxEntity.count()});
    }
}
