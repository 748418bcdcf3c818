package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void bindsHuggingFaceKeys() {
        Florence2Config c = Florence2Config.read(Fixtures.folder("tiny-a").resolve("config.json"));
        assertEquals(64, c.dModel());
        assertEquals(3, c.textConfig().encoderLayers());
        assertEquals(2, c.textConfig().decoderLayers());
        assertEquals(300, c.vocabSize());
        assertEquals(java.util.List.of(32, 64, 96, 128), c.visionConfig().dimEmbed());
        assertEquals(4, c.visionConfig().windowSize());
        assertEquals(50, c.visionConfig().maxPosEmbeddings());
        assertEquals(2, c.textConfig().decoderStartTokenId());
        assertEquals(0, c.textConfig().forcedBosTokenId());
        assertEquals(3, c.textConfig().noRepeatNgramSize());
        assertTrue(c.toJson().contains("\"_name_or_path\" : \"florence2-tiny-golden-a\""), "unknown keys are kept");
    }

    @Test
    void shippedConfigsAreValid() {
        Florence2Config base = Florence2Config.base();
        assertEquals(768, base.dModel());
        assertEquals(51289, base.vocabSize());
        assertEquals(java.util.List.of(1, 1, 9, 1), base.visionConfig().depths());
        Florence2Config tiny = Florence2Config.tinyDemo();
        assertEquals(128, tiny.dModel());
    }

    @Test
    void rejectsUnknownModelTypesAndImpossibleValuesAllAtOnce() throws IOException {
        ObjectNode config = (ObjectNode)
                JSON.readTree(Fixtures.folder("tiny-a").resolve("config.json").toFile());
        config.put("model_type", "llava");
        ObjectNode vision = (ObjectNode) config.get("vision_config");
        ((ArrayNode) vision.get("num_heads")).set(1, 5); // 64 is not divisible by 5
        ((ArrayNode) vision.get("depths")).remove(3); // 3 entries for 4 stages
        vision.put("projection_dim", 32);
        ObjectNode text = (ObjectNode) config.get("text_config");
        text.put("encoder_attention_heads", 3);
        text.put("pad_token_id", 300);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Florence2Config.parse(JSON.writeValueAsString(config)));
        String m = e.getMessage();
        assertTrue(m.contains("model_type is \"llava\""), m);
        assertTrue(m.contains("dim_embed[1]=64 is not divisible by num_heads[1]=5"), m);
        assertTrue(m.contains("vision_config.depths has 3 entries"), m);
        assertTrue(m.contains("projection_dim (32) must equal text_config.d_model (64)"), m);
        assertTrue(m.contains("encoder_attention_heads=3"), m);
        assertTrue(m.contains("text_config.pad_token_id=300 is outside the vocabulary [0, 300)"), m);
    }

    @Test
    void rejectsWrongTypesAndNonObjects() {
        assertThrows(IllegalArgumentException.class, () -> Florence2Config.parse("[1, 2]"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Florence2Config.parse("{\"model_type\": \"florence2\", \"text_config\": {\"d_model\": \"x\"}}"));
        assertTrue(e.getMessage().contains("wrong type"), e.getMessage());
    }
}
