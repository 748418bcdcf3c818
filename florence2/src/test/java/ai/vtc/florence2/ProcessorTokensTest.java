package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor's added tokens against {@code added_tokens.json}, on a tokenizer with BART's layout: 50,265 vocabulary
 * entries ({@code <s>} 0, {@code <pad>} 1, {@code </s>} 2, {@code <unk>} 3, {@code <mask>} 50264; the tiny demo
 * tokenizer's byte-level pieces and merges, the rest fillers) and its five special tokens as added tokens, as
 * Microsoft's {@code tokenizer.json} has them.
 */
class ProcessorTokensTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode FIXTURE = ProcessorFixtures.read("added_tokens.json");

    @TempDir
    Path dir;

    @Test
    void aTokenizerWithoutThemGetsTheProcessorsTokensWithItsIds() throws IOException {
        ObjectNode bart = bartLikeTokenizer();
        assertEquals(
                FIXTURE.path("base_vocab_size").asInt(),
                bart.path("model").path("vocab").size());
        Path file = write(bart, "tokenizer.json");
        try (Florence2Tokenizer tokenizer = Florence2Tokenizer.load(file, 1)) {
            assertAddedAsTheProcessor(tokenizer);
        }
    }

    @Test
    void aTokenizerThatHasThemKeepsThemOnce() throws IOException {
        ObjectNode bart = bartLikeTokenizer();
        assertTrue(ProcessorTokens.addMissing(bart));
        int added = bart.path("added_tokens").size();
        assertEquals(5 + FIXTURE.path("count").asInt(), added);
        assertFalse(ProcessorTokens.addMissing(bart), "nothing to add the second time");
        assertEquals(added, bart.path("added_tokens").size());
        try (Florence2Tokenizer tokenizer = Florence2Tokenizer.load(write(bart, "complete.json"), 1)) {
            assertAddedAsTheProcessor(tokenizer);
        }
    }

    private static void assertAddedAsTheProcessor(Florence2Tokenizer tokenizer) {
        JsonNode added = FIXTURE.path("added");
        assertEquals(1024, added.size());
        List<String> expectedOrder = new ArrayList<>();
        long[] ids = new long[added.size()];
        for (int i = 0; i < added.size(); i++) {
            String token = added.get(i).path("token").asText();
            long id = added.get(i).path("id").asLong();
            expectedOrder.add(token);
            ids[i] = id;
            assertArrayEquals(new long[] {0, id, 2}, tokenizer.encode(token), token + " is one token");
        }
        assertEquals(expectedOrder, ProcessorTokens.all());
        assertEquals(expectedOrder, tokenizer.idsToTokens(ids));
        assertEquals(FIXTURE.path("total_vocab_size").asInt(), tokenizer.vocabularySize());
        Set<String> special = new HashSet<>();
        FIXTURE.path("all_special_tokens").forEach(t -> special.add(t.asText()));
        assertEquals(special, tokenizer.specialTokens());
        assertArrayEquals(
                new long[] {0, 50321, 50602, 51201, 51043, 2}, tokenizer.encode("<loc_52><loc_333><loc_932><loc_774>"));
    }

    /** BART's layout from the tiny demo tokenizer: its pieces keep their ids, fillers up to 50263, {@code <mask>}. */
    private static ObjectNode bartLikeTokenizer() throws IOException {
        ObjectNode tiny;
        try (InputStream in = Florence2Tokenizer.class.getResourceAsStream("tiny-tokenizer.json")) {
            tiny = (ObjectNode) JSON.readTree(in);
        }
        ObjectNode vocab = (ObjectNode) tiny.path("model").path("vocab");
        vocab.remove(List.of("<mask>", "<VQA>"));
        int base = FIXTURE.path("base_vocab_size").asInt();
        for (int id = vocab.size(); id < base - 1; id++) {
            vocab.put("filler" + id, id);
        }
        vocab.put("<mask>", base - 1);
        ArrayNode added = tiny.putArray("added_tokens");
        FIXTURE.path("base_special_tokens")
                .fields()
                .forEachRemaining(e -> added.addObject()
                        .put("id", e.getValue().asInt())
                        .put("content", e.getKey())
                        .put("single_word", false)
                        .put("lstrip", e.getKey().equals("<mask>"))
                        .put("rstrip", false)
                        .put("normalized", false)
                        .put("special", true));
        return tiny;
    }

    private Path write(ObjectNode json, String name) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, JSON.writeValueAsBytes(json));
        return file;
    }
}
