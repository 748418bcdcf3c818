package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.vtc.florence2.io.CheckpointLoader;
import ai.vtc.florence2.io.CheckpointMismatchException;
import ai.vtc.florence2.io.DType;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.io.TensorSource;
import ai.vtc.florence2.io.TorchCheckpointFile;
import ai.vtc.florence2.language.Florence2LanguageModel;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.ParameterStore;
import ai.vtc.florence2.vision.DaViT;
import ai.vtc.florence2.vision.ImageProjection;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint formats, dtype conversion and the loader's error report. */
class CheckpointTest {

    @Test
    void pytorchBinAndSafetensorsHoldBitIdenticalWeights() {
        Path folder = Fixtures.folder("tiny-a-strong");
        try (SafeTensorsFile st = SafeTensorsFile.open(folder.resolve("model.safetensors"));
                TorchCheckpointFile bin = TorchCheckpointFile.open(folder.resolve("pytorch_model.bin"))) {
            assertEquals(st.tensors().keySet(), bin.tensors().keySet());
            for (String name : st.tensors().keySet()) {
                assertTrue(
                        Arrays.equals(
                                st.tensors().get(name).shape(),
                                bin.tensors().get(name).shape()),
                        name);
                float[] a = st.readFloats(name);
                float[] b = bin.readFloats(name);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), name + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void modelLoadedFromPytorchBinEqualsSafetensorsModel(@TempDir Path dir) throws IOException {
        Path folder = Fixtures.folder("tiny-a-strong");
        Files.copy(folder.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(folder.resolve("pytorch_model.bin"), dir.resolve("pytorch_model.bin"));
        try (Florence2Model fromBin = Florence2Model.load(dir);
                Florence2Model fromSt = Florence2Model.load(folder)) {
            for (Param p : fromSt.parameters().params()) {
                assertTrue(
                        Arrays.equals(
                                p.array().toFloatArray(),
                                fromBin.parameters().param(p.name()).array().toFloatArray()),
                        p.name());
            }
        }
    }

    @Test
    void tiedWeightsAreOneParameter() {
        try (Florence2Model model = Florence2Model.load(Fixtures.folder("tiny-a"))) {
            ParameterStore store = model.parameters();
            Param shared = store.param(Florence2LanguageModel.SHARED);
            assertSame(shared, store.param("language_model.model.encoder.embed_tokens.weight"));
            assertSame(shared, store.param("language_model.model.decoder.embed_tokens.weight"));
            assertSame(shared, store.param("language_model.lm_head.weight"));
            // 293 checkpoint keys = 290 parameters and buffers + 3 tied aliases
            assertEquals(290, store.params().size());
            assertEquals(1_427_424, store.parameterCount());
        }
    }

    @Test
    void mismatchListsMissingUnexpectedAndMisShapedKeys() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode)
                json.readTree(Fixtures.folder("tiny-a").resolve("config.json").toFile());
        ObjectNode text = (ObjectNode) config.get("text_config");
        text.put("encoder_layers", 4); // layer 3 missing
        text.put("decoder_layers", 1); // decoder layer 1 unexpected
        text.put("encoder_ffn_dim", 96); // every encoder fc1/fc2 mis-shaped
        Florence2Config cfg = Florence2Config.parse(json.writeValueAsString(config));
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                ParameterStore store = declare(manager, cfg);
                TensorSource source = CheckpointLoader.open(Fixtures.folder("tiny-a"))) {
            CheckpointMismatchException e =
                    assertThrows(CheckpointMismatchException.class, () -> CheckpointLoader.load(store, source));
            assertTrue(e.missing().stream().anyMatch(k -> k.startsWith("language_model.model.encoder.layers.3.fc1")));
            assertTrue(e.unexpected().stream()
                    .anyMatch(k -> k.startsWith("language_model.model.decoder.layers.1.self_attn.q_proj.weight")));
            assertTrue(e.misShaped().stream()
                    .anyMatch(k ->
                            k.startsWith("language_model.model.encoder.layers.0.fc1.weight: checkpoint [128, 64]")));
            assertEquals(16, e.missing().size(), e.getMessage()); // the 16 tensors of encoder layer 3
            assertEquals(26, e.unexpected().size(), e.getMessage()); // the 26 tensors of decoder layer 1
            assertEquals(9, e.misShaped().size(), e.getMessage()); // fc1.weight, fc1.bias, fc2.weight x 3 layers
            assertTrue(e.getMessage().contains("missing keys") && e.getMessage().contains("unexpected keys"));
        }
    }

    private static ParameterStore declare(NDManager manager, Florence2Config cfg) {
        ParameterStore store = new ParameterStore(manager);
        new DaViT(store, "vision_tower", cfg.visionConfig());
        new ImageProjection(store, cfg.visionConfig());
        new Florence2LanguageModel(store, cfg.textConfig());
        return store;
    }

    @Test
    void halfPrecisionTensorsAreWidenedInJava(@TempDir Path dir) throws IOException {
        float[] values = {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 0.1f, 3.14159f, -1234.5f};
        Path file = dir.resolve("half.safetensors");
        int n = values.length;
        ByteBuffer data = ByteBuffer.allocate(n * 2 * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            data.putShort(DType.floatToHalf(v));
        }
        for (float v : values) {
            data.putShort(DType.floatToBfloat16(v));
        }
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[" + n + "],\"data_offsets\":[0," + 2 * n
                + "]},\"b\":{\"dtype\":\"BF16\",\"shape\":[2," + n / 2 + "],\"data_offsets\":[" + 2 * n + ","
                + 4 * n + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(data.array());
        Files.write(file, out.array());
        try (SafeTensorsFile st = SafeTensorsFile.open(file)) {
            float[] half = st.readFloats("h");
            float[] bf16 = st.readFloats("b");
            for (int i = 0; i < n; i++) {
                assertEquals(roundToHalf(values[i]), half[i], 0f, "F16 " + values[i]);
                assertEquals(roundToBfloat16(values[i]), bf16[i], 0f, "BF16 " + values[i]);
            }
        }
        assertEquals(Float.POSITIVE_INFINITY, DType.halfToFloat((short) 0x7c00));
        assertTrue(Float.isNaN(DType.halfToFloat((short) 0x7e00)));
        assertEquals(-0f, DType.halfToFloat((short) 0x8000));
        assertEquals(5.9604645e-8f, DType.halfToFloat((short) 0x0001)); // smallest subnormal
    }

    /** Reference rounding through double arithmetic, independent of the code under test. */
    private static float roundToHalf(float v) {
        if (v == 0) {
            return v;
        }
        int exp = Math.max(Math.getExponent(v), -14);
        double ulp = Math.scalb(1.0, exp - 10);
        return (float) (Math.rint(v / ulp) * ulp);
    }

    private static float roundToBfloat16(float v) {
        if (v == 0) {
            return v;
        }
        double ulp = Math.scalb(1.0, Math.getExponent(v) - 7);
        return (float) (Math.rint(v / ulp) * ulp);
    }
}
