package ai.vtc.florence2.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.vtc.florence2.Fixtures;
import ai.vtc.florence2.Florence2Model;
import ai.vtc.florence2.ForwardOptions;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.language.EncoderOutput;
import ai.vtc.florence2.language.EncoderPass;
import ai.vtc.florence2.language.EncoderStageHook;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Seq2SeqLoss;
import ai.vtc.florence2.nn.Trace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The full forward pass of tiny-a with each method of the compression-method fixtures attached at its stage: the
 * attention the encoder hands to the hook is the fixture's (1e-6), the encoder output and the logits are within 1e-4,
 * and where the fixture has them (a1, a3) the loss and the gradient w.r.t. {@code image_projection} are within 1e-4.
 * downsample (a8) is the unchanged model on smaller pixels: image features and logits within 1e-4.
 */
class GridMethodsForwardGoldenTest {

    private static final double ATOL = 1e-4;
    private static final double ATTENTION_ATOL = 1e-6;
    private static final String IMAGE_PROJECTION = "image_projection";

    @ParameterizedTest
    @MethodSource("ai.vtc.florence2.compress.MethodFixtures#gridCases")
    void forwardWithHookReproducesFixture(String name) {
        MethodFixtures fixture = MethodFixtures.load(name);
        GridCompressionHook hook = new GridCompressionHook(fixture.method(), fixture.stage());
        try (Florence2Model model = Florence2Model.load(Fixtures.folder(MethodFixtures.MODEL));
                SafeTensorsFile expected = fixture.tensors();
                NDManager m = model.manager().newSubManager()) {
            Param projection = model.parameters().param(IMAGE_PROJECTION);
            projection.array().setRequiresGradient(true);
            NDArray textMask = Fixtures.array(m, expected, "attention_mask");
            List<NDArray> attentions = new ArrayList<>();
            EncoderStageHook recording = new AttentionRecording(hook, attentions).withBatch(textMask, null);
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector();
                    NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                Trace.Collecting trace = Trace.collecting();
                NDArray logits = model.forward(
                        Fixtures.array(m, expected, "pixel_values"),
                        Fixtures.array(m, expected, "input_ids"),
                        textMask,
                        Fixtures.array(m, expected, "decoder_input_ids"),
                        ForwardOptions.REFERENCE.withEncoderHook(recording),
                        trace);

                assertEquals(hook.method().needsAttention() ? 1 : 0, attentions.size(), name + " attention captures");
                if (!attentions.isEmpty()) {
                    close(name, "attention_probs", attentions.get(0).toFloatArray(), expected, ATTENTION_ATOL);
                }
                NDArray encoderOut = trace.tensors().get("encoder_last_hidden_state");
                assertEquals(
                        fixture.spec().get("seq_len_after").asLong(),
                        encoderOut.getShape().get(1),
                        name + " sequence length after compression");
                close(name, "encoder_last_hidden_state", encoderOut.toFloatArray(), expected, ATOL);
                close(name, "logits", logits.toFloatArray(), expected, ATOL);
                if (expected.tensors().containsKey("loss")) {
                    NDArray loss = Seq2SeqLoss.crossEntropy(logits, Fixtures.array(m, expected, "labels"));
                    collector.backward(loss);
                    close(name, "loss", new float[] {loss.getFloat()}, expected, ATOL);
                    close(
                            name,
                            "grad_image_projection",
                            projection.array().getGradient().toFloatArray(),
                            expected,
                            ATOL);
                }
            } finally {
                projection.array().setRequiresGradient(false);
            }
        }
    }

    @Test
    void downsampledImageReproducesFixture() {
        String name = "a8-downsample-s96";
        MethodFixtures fixture = MethodFixtures.load(name);
        try (Florence2Model model = Florence2Model.load(Fixtures.folder(MethodFixtures.MODEL));
                SafeTensorsFile expected = fixture.tensors();
                NDManager m = model.manager().newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Trace.Collecting trace = Trace.collecting();
            NDArray logits = model.forward(
                    Fixtures.array(m, expected, "pixel_values"), // [2, 3, 96, 96]
                    Fixtures.array(m, expected, "input_ids"),
                    Fixtures.array(m, expected, "attention_mask"),
                    Fixtures.array(m, expected, "decoder_input_ids"),
                    ForwardOptions.REFERENCE,
                    trace);
            NDArray features = trace.tensors().get("image_features");
            assertEquals(
                    fixture.spec().get("visual_tokens").asLong(),
                    features.getShape().get(1),
                    name);
            close(name, "image_features", features.toFloatArray(), expected, ATOL);
            close(
                    name,
                    "encoder_last_hidden_state",
                    trace.tensors().get("encoder_last_hidden_state").toFloatArray(),
                    expected,
                    ATOL);
            close(name, "logits", logits.toFloatArray(), expected, ATOL);
        }
    }

    /** Passes everything to the wrapped hook and keeps every attention the encoder hands over. */
    private record AttentionRecording(EncoderStageHook inner, List<NDArray> attentions) implements EncoderStageHook {

        @Override
        public EncoderOutput apply(int stage, EncoderOutput state) {
            return apply(stage, state, null);
        }

        @Override
        public EncoderOutput apply(int stage, EncoderOutput state, NDArray attention) {
            if (attention != null) {
                attentions.add(attention);
            }
            return inner.apply(stage, state, attention);
        }

        @Override
        public int attentionLayer() {
            return inner.attentionLayer();
        }

        @Override
        public EncoderStageHook bind(int imageTokens) {
            return bind(EncoderPass.of(imageTokens));
        }

        @Override
        public EncoderStageHook bind(EncoderPass pass) {
            return new AttentionRecording(inner.bind(pass), attentions);
        }
    }

    private static void close(String name, String tensor, float[] actual, SafeTensorsFile expected, double atol) {
        assertNull(Fixtures.allClose(actual, expected.readFloats(tensor), atol, 0), name + " " + tensor + " differs");
    }
}
