package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.vtc.florence2.generate.GenerationSettings;
import ai.vtc.florence2.generate.Generator;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.nn.Autocast;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Precision;
import ai.vtc.florence2.nn.Seq2SeqLoss;
import ai.vtc.florence2.nn.Trace;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bf16 and fp16 ({@link Autocast}) against the float32 golden fixtures: logits within a tolerance derived from the
 * precision's unit roundoff, the same greedy tokens, float32 weights and gradients, and float32 untouched outside a
 * scope.
 *
 * <p>The tolerance. Casting both operands of a product to a type with unit roundoff u changes each term by at most
 * about 2u relative, and the sums are accumulated in float32, so one product layer adds a relative error of about 2u of
 * the magnitude of its output. Errors of successive layers add up (layer norms keep the scale of the hidden states at
 * about 1, so they neither grow nor shrink much through the post-LN stack): the logits' error is bounded by about 2u x
 * (product layers on the longest path) x max |logit|. The longest path of tiny-a runs through the DaViT tower (4 patch
 * convolutions, 5 blocks of 2 depthwise convolutions, 2 attention products and 4 projections), the image projection,
 * 3 encoder and 2 decoder layers (about 6 products each, cross-attention included) and the lm head: DEPTH = 4 + 5 x 8 +
 * 1 + 5 x 6 + 1 = 76. With u = 2^-8 (bf16) that bound is 0.59 x max |logit|; rounding errors are independent and
 * mostly cancel, so the test also asserts a tighter bound, 2u x sqrt(DEPTH) x max |logit| (0.068 x max |logit| for
 * bf16, 0.0085 for fp16), which the measured errors stay within by a margin (see the assertion messages).
 */
class MixedPrecisionTest {

    /** Product layers on the longest path from pixels to logits in tiny-a (see the class comment). */
    private static final int DEPTH = 76;

    static double tolerance(Precision p, float[] reference) {
        double maxAbs = 0;
        for (float v : reference) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        return 2 * p.unitRoundoff() * Math.sqrt(DEPTH) * maxAbs;
    }

    @ParameterizedTest
    @CsvSource({"tiny-a, bf16", "tiny-a, fp16", "tiny-a-strong, bf16", "tiny-a-strong, fp16"})
    void logitsStayWithinTheRoundoffBoundAndGreedyTokensAgree(String fixture, String precisionId) {
        Precision precision = Precision.parse(precisionId);
        try (Florence2Model model = Florence2Model.load(Fixtures.folder(fixture));
                SafeTensorsFile expected = Fixtures.expected(fixture);
                NDManager m = model.manager().newSubManager();
                NDScope scope = new NDScope();
                Autocast ignored = Autocast.enter(precision)) {
            scope.suppressNotUsedWarning();
            NDArray pixels = Fixtures.array(m, expected, "pixel_values");
            NDArray inputIds = Fixtures.array(m, expected, "input_ids");
            NDArray mask = Fixtures.array(m, expected, "attention_mask");
            NDArray logits = model.forward(
                    pixels,
                    inputIds,
                    mask,
                    Fixtures.array(m, expected, "decoder_input_ids"),
                    ForwardOptions.REFERENCE,
                    Trace.NONE);
            assertEquals(DataType.FLOAT32, logits.getDataType(), "autocast hands float32 back");
            float[] want = expected.readFloats("logits");
            double diff = Fixtures.maxAbsDiff(logits.toFloatArray(), want);
            double tolerance = tolerance(precision, want);
            assertTrue(
                    diff <= tolerance,
                    fixture + " " + precision + ": max |logit diff| " + diff + " > tolerance " + tolerance);
            assertTrue(diff > 0, precision + " must really run in low precision: logits are bit-exact float32");

            long[][] tokens = new Generator(model).generate(pixels, inputIds, mask, GenerationSettings.greedy(8));
            long[] flat = new long[expected.readLongs("greedy_tokens").length];
            Arrays.fill(flat, 1L);
            for (int r = 0; r < tokens.length; r++) {
                System.arraycopy(tokens[r], 0, flat, r * 9, tokens[r].length);
            }
            assertArrayEquals(expected.readLongs("greedy_tokens"), flat, fixture + " " + precision + " greedy tokens");
        }
    }

    @Test
    void weightsAndGradientsStayFloat32AndNothingChangesOutsideAScope() {
        try (Florence2Model model = Florence2Model.load(Fixtures.folder("tiny-a"));
                SafeTensorsFile expected = Fixtures.expected("tiny-a");
                NDManager m = model.manager().newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray pixels = Fixtures.array(m, expected, "pixel_values");
            NDArray inputIds = Fixtures.array(m, expected, "input_ids");
            NDArray decoderIds = Fixtures.array(m, expected, "decoder_input_ids");
            Param weight = model.parameters().params().iterator().next();
            weight.array().setRequiresGradient(true);
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss;
                try (Autocast ignored = Autocast.enter(Precision.BF16)) {
                    NDArray logits =
                            model.forward(pixels, inputIds, null, decoderIds, ForwardOptions.REFERENCE, Trace.NONE);
                    loss = Seq2SeqLoss.crossEntropy(logits, decoderIds);
                }
                collector.backward(loss);
            }
            NDArray gradient = weight.array().getGradient();
            assertEquals(DataType.FLOAT32, weight.array().getDataType(), weight.name());
            assertEquals(DataType.FLOAT32, gradient.getDataType(), weight.name() + " gradient");
            assertTrue(gradient.abs().sum().getFloat() > 0, "the gradient reaches the weights through the casts");
            weight.array().setRequiresGradient(false);

            assertEquals(Precision.FP32, Autocast.current(), "the scope is closed");
            NDArray logits = model.forward(pixels, inputIds, null, decoderIds, ForwardOptions.REFERENCE, Trace.NONE);
            assertEquals(0.0, Fixtures.maxAbsDiff(logits.toFloatArray(), expected.readFloats("logits")), 1e-4);
        }
    }

    @Test
    void unknownPrecisionNamesTheKnownOnes() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Precision.parse("fp8"));
        assertEquals("unknown precision \"fp8\"; expected one of fp32, bf16, fp16", e.getMessage());
        assertEquals(Precision.BF16, Precision.parse("BF16"));
    }
}
