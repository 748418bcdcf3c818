package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.nn.Trace;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every tensor of the golden fixtures that the model produces, within max |diff| 1e-4 (atol 1e-4, rtol 0). */
class GoldenParityTest {

    private static final double ATOL = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-a-strong"})
    void forwardMatchesReference(String fixture) {
        try (Florence2Model model = Florence2Model.load(Fixtures.folder(fixture));
                SafeTensorsFile expected = Fixtures.expected(fixture);
                NDManager manager = model.manager().newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray pixels = Fixtures.array(manager, expected, "pixel_values");
            NDArray inputIds = Fixtures.array(manager, expected, "input_ids");
            NDArray mask = Fixtures.array(manager, expected, "attention_mask");
            NDArray decoderIds = Fixtures.array(manager, expected, "decoder_input_ids");

            Trace.Collecting trace = Trace.collecting();
            model.forward(pixels, inputIds, mask, decoderIds, ForwardOptions.REFERENCE, trace);
            int compared = 0;
            for (Map.Entry<String, NDArray> e : trace.tensors().entrySet()) {
                if (!expected.tensors().containsKey(e.getKey())) {
                    continue;
                }
                float[] want = expected.readFloats(e.getKey());
                float[] got = e.getValue().toFloatArray();
                assertNull(Fixtures.allClose(got, want, ATOL, 0), fixture + " " + e.getKey());
                compared++;
            }
            assertTrue(
                    compared >= 17,
                    "compared " + compared + " tensors: " + trace.tensors().keySet());

            NDArray alt = model.forward(
                    pixels, inputIds, mask, decoderIds, ForwardOptions.REFERENCE.withPaddingMask(true), Trace.NONE);
            assertNull(
                    Fixtures.allClose(
                            alt.toFloatArray(), expected.readFloats("alt_logits_text_padding_masked"), ATOL, 0),
                    fixture + " alt logits");
        }
    }
}
