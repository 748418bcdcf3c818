package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.language.EncoderStageHook;
import ai.vtc.florence2.nn.Trace;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seam visual-token compression will use: an {@link EncoderStageHook} that average-pools the 16 grid tokens before
 * encoder layer K (K = 3: on the encoder output) reproduces the compression fixtures' logits. The compression feature
 * itself (modes, validation, learnable pooling, schedules) is built on this seam separately.
 */
class EncoderHookTest {

    @ParameterizedTest
    @CsvSource({"a1, 2, 0", "a3, 16, 3"})
    void averagePoolingHookMatchesFixture(String fixture, int factor, int stage) throws URISyntaxException {
        Path file = Path.of(EncoderHookTest.class
                .getResource("/fixtures/florence2-compression/" + fixture + "/expected.safetensors")
                .toURI());
        EncoderStageHook hook = (k, state) -> k == stage ? averagePoolGrid(state, factor) : state;
        try (Florence2Model model = Florence2Model.load(Fixtures.folder("tiny-a-strong"));
                SafeTensorsFile expected = SafeTensorsFile.open(file);
                NDManager m = model.manager().newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Trace.Collecting trace = Trace.collecting();
            NDArray logits = model.forward(
                    Fixtures.array(m, expected, "pixel_values"),
                    Fixtures.array(m, expected, "input_ids"),
                    Fixtures.array(m, expected, "attention_mask"),
                    Fixtures.array(m, expected, "decoder_input_ids"),
                    ForwardOptions.REFERENCE.withEncoderHook(hook),
                    trace);
            NDArray encoderOut = trace.tensors().get("encoder_last_hidden_state");
            assertEquals(
                    expected.tensors().get("encoder_last_hidden_state").shape()[1],
                    encoderOut.getShape().get(1));
            assertNull(Fixtures.allClose(
                    encoderOut.toFloatArray(), expected.readFloats("encoder_last_hidden_state"), 1e-4, 0));
            assertNull(Fixtures.allClose(logits.toFloatArray(), expected.readFloats("logits"), 1e-4, 0));
        }
    }

    /** [global ; 16 grid ; text] -> [global ; avg_pool1d(grid, f) ; text] */
    private static EncoderOutput averagePoolGrid(EncoderOutput state, int factor) {
        NDArray h = state.hidden(); // [B, L, D]
        long b = h.getShape().get(0);
        long d = h.getShape().get(2);
        NDArray grid = h.get(":, 1:17, :").reshape(b, 16 / factor, factor, d).mean(new int[] {2});
        NDArray out = h.get(":, 0:1, :").concat(grid, 1).concat(h.get(":, 17:, :"), 1);
        return new EncoderOutput(out, null);
    }
}
