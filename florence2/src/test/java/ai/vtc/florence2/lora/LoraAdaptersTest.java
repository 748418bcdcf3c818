package ai.vtc.florence2.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.Florence2Config;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Trace;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA on the tiny model: PEFT's start from the base model, merging, the PEFT folder and its errors. */
class LoraAdaptersTest {

    static final List<String> DEFAULT_TARGETS =
            List.of("qkv", "proj", "k_proj", "v_proj", "q_proj", "out_proj", "fc1", "fc2");

    private static LoraConfig config(int rank, boolean rslora) {
        return new LoraConfig(rank, 4, 0.25, DEFAULT_TARGETS, rslora);
    }

    /** Logits of a fixed batch of one image, one prompt and three decoder tokens. */
    private static float[] logits(Florence2Model model) {
        try (NDManager m = model.manager().newSubManager()) {
            SplittableRandom random = new SplittableRandom(7);
            float[] pixels = new float[3 * 128 * 128];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextDouble(-1, 1);
            }
            NDArray out = model.forward(
                    m.create(pixels, new Shape(1, 3, 128, 128)),
                    m.create(new long[] {0, 5, 9, 11, 2}, new Shape(1, 5)),
                    m.ones(new Shape(1, 5), ai.djl.ndarray.types.DataType.INT64),
                    m.create(new long[] {2, 0, 7}, new Shape(1, 3)),
                    ForwardOptions.REFERENCE,
                    Trace.NONE);
            return out.toFloatArray();
        }
    }

    private static void randomiseB(LoraAdapters lora, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Param p : lora.parameters().values()) {
            if (p.name().endsWith("lora_B.weight")) {
                float[] v = new float[Math.toIntExact(p.shape().size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) random.nextDouble(-0.05, 0.05);
                }
                p.set(p.array().getManager().create(v, p.shape()));
            }
        }
    }

    @Test
    void adaptersWithZeroBLeaveTheModelExactlyAsItWas() {
        try (Florence2Model model = Florence2Model.random(Florence2Config.tinyDemo(), 3)) {
            float[] base = logits(model);
            try (LoraAdapters lora = LoraAdapters.attach(model, config(4, false), 1)) {
                lora.training(false);
                assertArrayEquals(base, logits(model));
                assertTrue(lora.modules().stream().anyMatch(m -> m.startsWith("vision_tower.") && m.endsWith(".qkv")));
                assertTrue(lora.modules().stream().anyMatch(m -> m.endsWith("encoder_attn.k_proj")));
                assertTrue(lora.modules().stream().noneMatch(m -> m.startsWith("vision_tower.convs.")));
            }
            assertArrayEquals(base, logits(model), "closing the adapters restores the base model");
        }
    }

    @Test
    void aIsKaimingUniformAndBIsZero() {
        try (Florence2Model model = Florence2Model.random(Florence2Config.tinyDemo(), 3);
                LoraAdapters lora = LoraAdapters.attach(model, config(4, false), 1)) {
            String module = lora.modules().get(0);
            Param a = lora.parameters().get(LoraAdapters.keyA(module));
            float bound = (float) (1 / Math.sqrt(a.shape().get(1)));
            float[] values = a.array().toFloatArray();
            float max = 0;
            for (float v : values) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= bound && max > 0.5f * bound, "A within +-1/sqrt(in): " + max + " vs " + bound);
            for (float v :
                    lora.parameters().get(LoraAdapters.keyB(module)).array().toFloatArray()) {
                assertEquals(0f, v);
            }
        }
    }

    @Test
    void mergedModelEqualsTheAdaptedModel() {
        for (boolean rslora : new boolean[] {false, true}) {
            try (Florence2Model model = Florence2Model.random(Florence2Config.tinyDemo(), 3);
                    LoraAdapters lora = LoraAdapters.attach(model, config(2, rslora), 1)) {
                float[] base = logits(model);
                randomiseB(lora, 5);
                float[] adapted = logits(model);
                assertFalse(java.util.Arrays.equals(base, adapted), "B != 0 changes the output");
                lora.merge();
                float[] merged = logits(model);
                for (int i = 0; i < adapted.length; i++) {
                    assertEquals(adapted[i], merged[i], 1e-5 + 1e-5 * Math.abs(adapted[i]), "logit " + i);
                }
            }
        }
    }

    @Test
    void scalingIsAlphaOverRankOrOverItsSquareRoot() {
        assertEquals(1.0, config(4, false).scaling());
        assertEquals(2.0, config(4, true).scaling());
    }

    @Test
    void folderRoundTripsWithPeftKeysAndFields(@TempDir Path dir) throws IOException {
        float[] adapted;
        try (Florence2Model model = Florence2Model.random(Florence2Config.tinyDemo(), 3);
                LoraAdapters lora = LoraAdapters.attach(model, new LoraConfig(2, 8, 0.1, DEFAULT_TARGETS, true), 1)) {
            randomiseB(lora, 9);
            adapted = logits(model);
            PeftAdapterFolder.save(lora, dir, "models/tiny", false);
            try (SafeTensorsFile file = SafeTensorsFile.open(dir.resolve(PeftAdapterFolder.WEIGHTS))) {
                Set<String> keys = file.tensors().keySet();
                assertEquals(lora.modules().size() * 2, keys.size());
                assertTrue(keys.contains(
                        "base_model.model.language_model.model.encoder.layers.0.self_attn.q_proj.lora_A.weight"));
                assertTrue(keys.contains("base_model.model.language_model.model.decoder.layers.0.fc2.lora_B.weight"));
                assertTrue(keys.stream().allMatch(k -> k.startsWith("base_model.model.")));
            }
        }
        JsonNode config = new ObjectMapper()
                .readTree(dir.resolve(PeftAdapterFolder.CONFIG).toFile());
        assertEquals("LORA", config.get("peft_type").asText());
        assertEquals(2, config.get("r").asInt());
        assertEquals(8.0, config.get("lora_alpha").asDouble());
        assertEquals(0.1, config.get("lora_dropout").asDouble());
        assertTrue(config.get("use_rslora").asBoolean());
        assertEquals("none", config.get("bias").asText());
        assertEquals("models/tiny", config.get("base_model_name_or_path").asText());
        assertEquals(DEFAULT_TARGETS.size(), config.get("target_modules").size());
        assertTrue(config.has("task_type"));
        try (Florence2Model fresh = Florence2Model.random(Florence2Config.tinyDemo(), 3);
                LoraAdapters loaded = PeftAdapterFolder.load(dir, fresh)) {
            assertEquals(new LoraConfig(2, 8, 0.1, DEFAULT_TARGETS, true), loaded.config());
            assertArrayEquals(adapted, logits(fresh));
        }
    }

    @Test
    void targetsThatMatchNothingNameTheLayersThatExist() {
        try (Florence2Model model = Florence2Model.random(Florence2Config.tinyDemo(), 3)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> LoraAdapters.attach(model, new LoraConfig(4, 4, 0, List.of("query", "fc1"), false), 0));
            assertTrue(e.getMessage().contains("[query]"), e.getMessage());
            assertTrue(e.getMessage().contains("k_proj") && e.getMessage().contains("qkv"), e.getMessage());
            assertTrue(model.parameters().linears().values().stream().allMatch(l -> l.adapter() == null));
        }
    }

    @Test
    void rankZeroOrLargerThanALayerIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> config(0, false));
        try (Florence2Model model = Florence2Model.random(Florence2Config.tinyDemo(), 3)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> LoraAdapters.attach(model, config(100_000, false), 0));
            assertTrue(e.getMessage().contains("larger than the smaller side"), e.getMessage());
        }
    }

    @Test
    void anAdapterForOtherShapesIsRefusedWithItsBaseModel(@TempDir Path dir) throws IOException {
        try (Florence2Model model = Florence2Model.random(Florence2Config.tinyDemo(), 3);
                LoraAdapters lora = LoraAdapters.attach(model, config(2, false), 1)) {
            PeftAdapterFolder.save(lora, dir, "models/other", false);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode config =
                (ObjectNode) json.readTree(dir.resolve(PeftAdapterFolder.CONFIG).toFile());
        config.put("r", 3); // the stored tensors have rank 2
        json.writeValue(dir.resolve(PeftAdapterFolder.CONFIG).toFile(), config);
        try (Florence2Model model = Florence2Model.random(Florence2Config.tinyDemo(), 3)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> PeftAdapterFolder.load(dir, model));
            assertTrue(e.getMessage().contains("models/other"), e.getMessage());
            assertTrue(e.getMessage().contains("different shape"), e.getMessage());
            assertNull(model.parameters().linears().values().iterator().next().adapter());
        }
        config.put("r", 2);
        config.put("use_dora", true);
        json.writeValue(dir.resolve(PeftAdapterFolder.CONFIG).toFile(), config);
        try (Florence2Model model = Florence2Model.random(Florence2Config.tinyDemo(), 3)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> PeftAdapterFolder.load(dir, model));
            assertTrue(e.getMessage().contains("use_dora"), e.getMessage());
        }
    }
}
