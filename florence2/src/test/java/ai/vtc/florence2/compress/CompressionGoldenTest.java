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
import ai.vtc.florence2.language.EncoderStageHook;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Seq2SeqLoss;
import ai.vtc.florence2.nn.Trace;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every case of the compression fixtures (Microsoft's code with the compression of docs/architecture.md, "Visual-token
 * compression", attached): hidden states entering and leaving the compression, the encoder output the decoder sees,
 * logits, the loss, and the gradients of the loss w.r.t. {@code image_projection} and the learnable pooling weight, all
 * within 1e-4.
 */
class CompressionGoldenTest {

    private static final double ATOL = 1e-4;
    private static final String IMAGE_PROJECTION = "image_projection";

    @ParameterizedTest
    @ValueSource(strings = {"a1", "a2", "a3", "a4", "a5", "a6"})
    void matchesFixture(String name) throws Exception {
        Path dir = caseDir(name);
        JsonNode spec = new ObjectMapper().readTree(dir.resolve("case.json").toFile());
        Compression compression = Compression.of(
                spec.get("mode").asText(),
                spec.get("factor").asInt(),
                spec.get("stage").asInt(),
                spec.get("sorted").asBoolean());
        try (Florence2Model model = Florence2Model.load(Fixtures.folder("tiny-a-strong"));
                SafeTensorsFile expected = SafeTensorsFile.open(dir.resolve("expected.safetensors"));
                NDManager m = model.manager().newSubManager()) {
            VisualTokenCompressor compressor = VisualTokenCompressor.forModel(model, compression);
            Param weight = null;
            if (compression.mode() == CompressionMode.LEARNABLE_POOL) {
                weight = model.visualPoolingWeight(compression.factor());
                model.parameters().setValues(weight, expected.readFloats("visual_pooling_weight"));
                weight.array().setRequiresGradient(true);
            }
            Param projection = model.parameters().param(IMAGE_PROJECTION);
            projection.array().setRequiresGradient(true);
            Map<String, float[]> seen = new HashMap<>();
            EncoderStageHook recording = new Recording(compressor, seen);

            NDArray labels = Fixtures.array(m, expected, "labels");
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector();
                    NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                Trace.Collecting trace = Trace.collecting();
                NDArray logits = model.forward(
                        Fixtures.array(m, expected, "pixel_values"),
                        Fixtures.array(m, expected, "input_ids"),
                        Fixtures.array(m, expected, "attention_mask"),
                        Fixtures.array(m, expected, "decoder_input_ids"),
                        ForwardOptions.REFERENCE.withEncoderHook(recording),
                        trace);
                NDArray loss = Seq2SeqLoss.crossEntropy(logits, labels);
                collector.backward(loss);

                close(name, "hidden_before_compression", seen.get("before"), expected);
                close(name, "hidden_after_compression", seen.get("after"), expected);
                close(
                        name,
                        "encoder_last_hidden_state",
                        trace.tensors().get("encoder_last_hidden_state").toFloatArray(),
                        expected);
                close(name, "logits", logits.toFloatArray(), expected);
                close(name, "loss", new float[] {loss.getFloat()}, expected);
                close(
                        name,
                        "grad_image_projection",
                        projection.array().getGradient().toFloatArray(),
                        expected);
                if (weight != null) {
                    close(
                            name,
                            "grad_visual_pooling_weight",
                            weight.array().getGradient().toFloatArray(),
                            expected);
                }
                long[] maskShape =
                        expected.tensors().get("encoder_attention_mask_used").shape();
                assertEquals(
                        maskShape[1],
                        trace.tensors()
                                .get("encoder_last_hidden_state")
                                .getShape()
                                .get(1),
                        "sequence length after compression");
                assertEquals(spec.get("seq_len_after").asLong(), maskShape[1]);
            } finally {
                projection.array().setRequiresGradient(false);
                if (weight != null) {
                    weight.array().setRequiresGradient(false);
                }
            }
        }
    }

    /** Records the hidden states entering and leaving the compression stage. */
    private record Recording(EncoderStageHook inner, Map<String, float[]> seen) implements EncoderStageHook {
        @Override
        public EncoderOutput apply(int stage, EncoderOutput state) {
            EncoderOutput out = inner.apply(stage, state);
            if (out != state) {
                seen.put("before", state.hidden().toFloatArray());
                seen.put("after", out.hidden().toFloatArray());
            }
            return out;
        }

        @Override
        public EncoderStageHook bind(int imageTokens) {
            return new Recording(inner.bind(imageTokens), seen);
        }
    }

    private static void close(String name, String tensor, float[] actual, SafeTensorsFile expected) {
        assertNull(Fixtures.allClose(actual, expected.readFloats(tensor), ATOL, 0), name + " " + tensor + " differs");
    }

    static Path caseDir(String name) throws Exception {
        return Path.of(CompressionGoldenTest.class
                        .getResource("/fixtures/florence2-compression/" + name + "/case.json")
                        .toURI())
                .getParent();
    }
}
