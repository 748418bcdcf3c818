package ai.vtc.florence2.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.florence2.Fixtures;
import ai.vtc.florence2.Florence2Model;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The F16 and BF16 paths of the {@code pytorch_model.bin} reader (Microsoft's Florence-2 checkpoints are float16):
 * known bit patterns widen to their exact float32 values, views into a shared half-precision storage (an offset, a
 * transpose) read their own elements, and a whole model saved in half precision loads with every weight equal to its
 * rounded value.
 */
class HalfPrecisionBinTest {

    /** binary16 bits and their values: 1, -2, 1/3 rounded, the largest, the smallest subnormal, -0, inf, the smallest normal. */
    private static final short[] F16_BITS = {
        0x3C00, (short) 0xC000, 0x3555, 0x7BFF, 0x0001, (short) 0x8000, 0x7C00, 0x0400
    };

    private static final float[] F16_VALUES = {
        1f, -2f, 0.333251953125f, 65504f, 5.960464477539063e-8f, -0f, Float.POSITIVE_INFINITY, 6.103515625e-5f
    };

    /** bfloat16 bits and their values: 1, -3, 1/3 rounded, the largest, the smallest subnormal, -0, -inf, pi rounded. */
    private static final short[] BF16_BITS = {
        0x3F80, (short) 0xC040, 0x3EAB, 0x7F7F, 0x0001, (short) 0x8000, (short) 0xFF80, 0x4049
    };

    private static final float[] BF16_VALUES = {
        1f, -3f, 0.333984375f, 3.3895313892515355e38f, 9.183549615799121e-41f, -0f, Float.NEGATIVE_INFINITY, 3.140625f
    };

    @TempDir
    Path dir;

    @Test
    void halfPrecisionElementsWidenExactly() throws IOException {
        Map<String, TorchSaveWriter.View> tensors = new LinkedHashMap<>();
        tensors.put("h", TorchSaveWriter.contiguous("0", 2, 4));
        tensors.put("b", TorchSaveWriter.contiguous("1", 8));
        Path bin = dir.resolve("pytorch_model.bin");
        TorchSaveWriter.write(
                bin,
                tensors,
                Map.of(
                        "0", new TorchSaveWriter.Storage(DType.F16, bytes(F16_BITS)),
                        "1", new TorchSaveWriter.Storage(DType.BF16, bytes(BF16_BITS))));
        try (TorchCheckpointFile file = TorchCheckpointFile.open(bin)) {
            assertEquals(DType.F16, file.tensors().get("h").dtype());
            assertArrayEquals(new long[] {2, 4}, file.tensors().get("h").shape());
            assertEquals(DType.BF16, file.tensors().get("b").dtype());
            assertBitsEqual(F16_VALUES, file.readFloats("h"));
            assertBitsEqual(BF16_VALUES, file.readFloats("b"));
        }
    }

    @Test
    void viewsIntoOneHalfPrecisionStorageReadTheirElements() throws IOException {
        for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
            short[] bits = dtype == DType.F16 ? F16_BITS : BF16_BITS;
            float[] values = dtype == DType.F16 ? F16_VALUES : BF16_VALUES;
            Map<String, TorchSaveWriter.View> tensors = new LinkedHashMap<>();
            // elements 2..7 as [2, 3] seen transposed: [3, 2] with strides [1, 3]
            tensors.put("transposed", new TorchSaveWriter.View("0", 2, new long[] {3, 2}, new long[] {1, 3}));
            tensors.put("tail", new TorchSaveWriter.View("0", 5, new long[] {3}, new long[] {1}));
            Path bin = dir.resolve(dtype + ".bin");
            TorchSaveWriter.write(bin, tensors, Map.of("0", new TorchSaveWriter.Storage(dtype, bytes(bits))));
            try (TorchCheckpointFile file = TorchCheckpointFile.open(bin)) {
                assertBitsEqual(
                        new float[] {values[2], values[5], values[3], values[6], values[4], values[7]},
                        file.readFloats("transposed"));
                assertBitsEqual(new float[] {values[5], values[6], values[7]}, file.readFloats("tail"));
            }
        }
    }

    @Test
    void aModelSavedInHalfPrecisionLoadsItsRoundedWeights() throws IOException {
        Path folder = Fixtures.folder("tiny-a");
        for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
            Path halfFolder = Files.createDirectory(dir.resolve(dtype.name()));
            Files.copy(folder.resolve("config.json"), halfFolder.resolve("config.json"));
            Map<String, float[]> original = new LinkedHashMap<>();
            Map<String, TorchSaveWriter.View> tensors = new LinkedHashMap<>();
            Map<String, TorchSaveWriter.Storage> storages = new LinkedHashMap<>();
            try (SafeTensorsFile weights = SafeTensorsFile.open(folder.resolve("model.safetensors"))) {
                for (Map.Entry<String, TensorSource.Info> t : weights.tensors().entrySet()) {
                    String key = String.valueOf(storages.size());
                    float[] values = weights.readFloats(t.getKey());
                    original.put(t.getKey(), values);
                    tensors.put(
                            t.getKey(),
                            TorchSaveWriter.contiguous(key, t.getValue().shape()));
                    storages.put(key, new TorchSaveWriter.Storage(dtype, bytes(rounded(values, dtype))));
                }
            }
            TorchSaveWriter.write(halfFolder.resolve("pytorch_model.bin"), tensors, storages);
            try (Florence2Model model = Florence2Model.load(halfFolder)) {
                for (Map.Entry<String, float[]> t : original.entrySet()) {
                    float[] expected = widened(rounded(t.getValue(), dtype), dtype);
                    float[] loaded =
                            model.parameters().param(t.getKey()).array().toFloatArray();
                    assertBitsEqual(expected, loaded, dtype + " " + t.getKey());
                }
            }
        }
    }

    private static short[] rounded(float[] values, DType dtype) {
        short[] bits = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = dtype == DType.F16 ? DType.floatToHalf(values[i]) : DType.floatToBfloat16(values[i]);
        }
        return bits;
    }

    private static float[] widened(short[] bits, DType dtype) {
        float[] values = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            values[i] =
                    dtype == DType.F16 ? DType.halfToFloat(bits[i]) : Float.intBitsToFloat((bits[i] & 0xffff) << 16);
        }
        return values;
    }

    private static byte[] bytes(short[] bits) {
        ByteBuffer buffer = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short b : bits) {
            buffer.putShort(b);
        }
        return buffer.array();
    }

    private static void assertBitsEqual(float[] expected, float[] actual) {
        assertBitsEqual(expected, actual, "");
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(
                    Float.floatToRawIntBits(expected[i]),
                    Float.floatToRawIntBits(actual[i]),
                    what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }
}
