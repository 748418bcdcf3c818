package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.florence2.tools.TinyTokenizerBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

    private static Florence2Tokenizer tiny;

    @BeforeAll
    static void load() {
        tiny = Florence2Tokenizer.tinyDemo();
    }

    @AfterAll
    static void close() {
        tiny.close();
    }

    @Test
    void shortVqaQuestionsAreCompact() {
        for (String q : List.of(
                "what color is the circle?",
                "how many squares are there?",
                "is there a red triangle?",
                "What shape is left of the blue star?")) {
            long[] ids = tiny.encode("<VQA>" + q);
            String[] tokens = tiny.tokens("<VQA>" + q);
            // <s> <VQA> one token per word and per punctuation mark </s>
            int words = q.split(" ").length + 1;
            assertEquals(words + 3, ids.length, q + " -> " + Arrays.toString(tokens));
            assertEquals(0, ids[0]);
            assertEquals(2, ids[ids.length - 1]);
            assertEquals("<VQA>", tokens[1]);
            assertEquals(q, tiny.decode(ids), "decode drops <s>, </s> and <VQA>");
        }
    }

    @Test
    void answersAreSingleTokens() {
        for (String answer : List.of("red", "3", "yes", "no", "blue", "10", "circle", "green")) {
            long[] ids = tiny.encode(answer);
            assertEquals(3, ids.length, answer + " " + Arrays.toString(tiny.tokens(answer)));
            assertEquals(answer, tiny.decode(ids));
        }
    }

    @Test
    void anyTextStillTokenizesByteByByte() {
        String text = "Zürich 2024: naïve émoji 🙂";
        assertEquals(text, tiny.decode(tiny.encode(text)));
    }

    @Test
    void batchesAreRightPadded() {
        Florence2Tokenizer.Batch batch = tiny.encode(List.of("<VQA>is there a red triangle?", "<VQA>yes"));
        assertEquals(batch.ids()[0].length, batch.ids()[1].length);
        long[] second = batch.ids()[1];
        assertEquals(1, second[second.length - 1], "pad id");
        assertEquals(0, batch.attentionMask()[1][second.length - 1]);
        assertEquals(4, Arrays.stream(batch.attentionMask()[1]).sum());
    }

    @Test
    void vocabularyFitsTheDemoModel() throws Exception {
        try (InputStream in = Florence2Tokenizer.class.getResourceAsStream("tiny-tokenizer.json")) {
            String shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(TinyTokenizerBuilder.build(), shipped, "the resource is what the builder makes");
            int size = new ObjectMapper()
                    .readTree(shipped)
                    .get("model")
                    .get("vocab")
                    .size();
            assertEquals(Florence2Config.tinyDemo().vocabSize(), size);
        }
    }

    /**
     * The layout of the real Florence-2 tokenizer.json: BART byte-level BPE plus added tokens (task tokens, 1,000
     * {@code <loc_*>} tokens) after the BPE vocabulary. The real file cannot be downloaded here, so the tiny vocabulary
     * is extended the same way.
     */
    @Test
    void florenceAddedTokensLoad(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root;
        try (InputStream in = Florence2Tokenizer.class.getResourceAsStream("tiny-tokenizer.json")) {
            root = (ObjectNode) json.readTree(in);
        }
        ObjectNode vocab = (ObjectNode) root.get("model").get("vocab");
        ArrayNode added = (ArrayNode) root.get("added_tokens");
        int next = vocab.size();
        for (String token : List.of("<od>", "</od>", "<ocr>", "</ocr>", "<cap>", "</cap>", "<poly>", "</poly>")) {
            addToken(added, vocab, token, next++);
        }
        int loc0 = next;
        for (int i = 0; i < 1000; i++) {
            addToken(added, vocab, "<loc_" + i + ">", next++);
        }
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, json.writeValueAsString(root));
        try (Florence2Tokenizer t = Florence2Tokenizer.load(file, 1)) {
            long[] ids = t.encode("<od>red circle<loc_12><loc_999></od>");
            assertEquals(loc0 + 12, ids[ids.length - 4]);
            assertEquals(loc0 + 999, ids[ids.length - 3]);
            assertEquals("red circle", t.decode(ids));
            assertTrue(t.decodeRaw(ids).contains("<loc_12>"));
        }
    }

    private static void addToken(ArrayNode added, ObjectNode vocab, String content, int id) {
        ObjectNode t = added.addObject();
        t.put("id", id).put("content", content).put("single_word", false).put("lstrip", false);
        t.put("rstrip", false).put("normalized", false).put("special", true);
        vocab.put(content, id);
    }

    @Test
    void savesTheJsonItWasLoadedFrom(@TempDir Path dir) throws Exception {
        tiny.save(dir.resolve("tokenizer.json"));
        try (Florence2Tokenizer again = Florence2Tokenizer.load(dir.resolve("tokenizer.json"), 1)) {
            assertArrayEquals(tiny.encode("how many squares?"), again.encode("how many squares?"));
        }
    }
}
