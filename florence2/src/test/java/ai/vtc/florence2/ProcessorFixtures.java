package ai.vtc.florence2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The golden fixtures of Microsoft's Florence-2 processor ({@code fixtures/florence2-processor}, README there):
 * prompts, added tokens and post-processing, as JSON trees.
 */
public final class ProcessorFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProcessorFixtures() {}

    /** {@code prompts.json}, {@code added_tokens.json} or {@code postprocess.json}. */
    public static JsonNode read(String file) {
        try (InputStream in = ProcessorFixtures.class.getResourceAsStream("/fixtures/florence2-processor/" + file)) {
            return JSON.readTree(Objects.requireNonNull(in, file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
