package ai.vtc.florence2.postprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.vtc.florence2.Florence2Task;
import ai.vtc.florence2.ProcessorFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Florence2PostProcessor} against every case of the processor's {@code postprocess.json}: the same structure,
 * keys, labels and order, and every number within 1e-6 relative (coordinates are computed as torch computes them and
 * are in fact equal; box scores may differ in the last bit of {@code exp}).
 */
class PostProcessFixtureTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode CASES =
            ProcessorFixtures.read("postprocess.json").path("cases");
    private static final Set<String> SPECIAL_TOKENS = specialTokens();

    private static Set<String> specialTokens() {
        Set<String> special = new HashSet<>();
        ProcessorFixtures.read("added_tokens.json").path("all_special_tokens").forEach(t -> special.add(t.asText()));
        return special;
    }

    @Test
    void theFixtureHasEveryCase() {
        assertEquals(62, CASES.size());
    }

    @TestFactory
    Stream<DynamicTest> everyCaseIsReproduced() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : CASES) {
            tests.add(DynamicTest.dynamicTest(c.path("id").asText(), () -> check(c)));
        }
        return tests.stream();
    }

    private static void check(JsonNode c) {
        ImageSize size = new ImageSize(
                c.path("image_size").get(0).asInt(), c.path("image_size").get(1).asInt());
        Florence2Task task = Florence2Task.of(c.path("task").asText());
        TaskResult result;
        if (c.path("input").asText().equals("text")) {
            result = Florence2PostProcessor.process(task, c.path("text").asText(), size);
        } else {
            List<String> tokens = new ArrayList<>();
            c.path("sequence_tokens").forEach(t -> tokens.add(t.asText()));
            JsonNode scoreNode = c.path("transition_beam_score");
            double[] scores = null;
            if (!scoreNode.isNull()) {
                scores = new double[scoreNode.size()];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = scoreNode.get(i).asDouble();
                }
            }
            result = Florence2PostProcessor.processSequence(task, tokens, SPECIAL_TOKENS, scores, size);
        }
        assertSame(c.path("expected"), JSON.valueToTree(result), "");
    }

    /** Equal trees, numbers within 1e-6 relative; {@code path} names the place of a difference. */
    private static void assertSame(JsonNode expected, JsonNode actual, String path) {
        if (expected.isNumber()) {
            assertTrue(actual.isNumber(), path + ": expected a number, got " + actual);
            double e = expected.asDouble();
            double a = actual.asDouble();
            assertTrue(Math.abs(a - e) <= 1e-6 * Math.abs(e), path + ": expected " + e + ", got " + a);
            return;
        }
        assertEquals(expected.getNodeType(), actual.getNodeType(), path + ": expected " + expected + ", got " + actual);
        if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), path + ": expected " + expected + ", got " + actual);
            for (int i = 0; i < expected.size(); i++) {
                assertSame(expected.get(i), actual.get(i), path + "[" + i + "]");
            }
        } else if (expected.isObject()) {
            List<String> expectedKeys = new ArrayList<>();
            expected.fieldNames().forEachRemaining(expectedKeys::add);
            List<String> actualKeys = new ArrayList<>();
            actual.fieldNames().forEachRemaining(actualKeys::add);
            assertEquals(Set.copyOf(expectedKeys), Set.copyOf(actualKeys), path + ": keys");
            for (Iterator<String> keys = expected.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                assertSame(expected.get(key), actual.get(key), path + "." + key);
            }
        } else if (!expected.equals(actual)) {
            fail(path + ": expected " + expected + ", got " + actual);
        }
    }
}
