package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.Seq2SeqLoss;
import ai.vtc.florence2.nn.TestGradients;
import ai.vtc.florence2.nn.Trace;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The model is differentiable through DJL's autograd: gradients agree with finite differences and do not depend on
 * what happens in the JVM between the forward and the backward pass.
 */
class AutogradTest {

    @Test
    void gradientsMatchFiniteDifferences() {
        try (Florence2Model model = Florence2Model.load(Fixtures.folder("tiny-a-strong"));
                SafeTensorsFile expected = Fixtures.expected("tiny-a-strong");
                NDManager m = model.manager().newSubManager()) {
            Inputs in = Inputs.of(m, expected);
            NDArray pixels = in.pixels();
            NDArray ids = in.ids();
            NDArray decoderIds = in.decoderIds();
            long[] labels = shiftLeft(expected.readLongs("decoder_input_ids"), 5);
            NDArray target = m.create(labels, decoderIds.getShape()).oneHot(300);

            String[] names = {"image_projection", "language_model.model.decoder.layers.1.fc1.weight"};
            float[][] grads = new float[names.length][];
            for (String name : names) {
                model.parameters().param(name).array().setRequiresGradient(true);
            }
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector();
                    NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray loss = loss(model, pixels, ids, decoderIds, target);
                collector.backward(loss);
                for (int i = 0; i < names.length; i++) {
                    grads[i] = model.parameters()
                            .param(names[i])
                            .array()
                            .getGradient()
                            .toFloatArray();
                }
            }
            for (int i = 0; i < names.length; i++) {
                Param p = model.parameters().param(names[i]);
                p.array().setRequiresGradient(false);
                int at = argmaxAbs(grads[i]);
                double eps = 1e-2;
                float[] values = p.array().toFloatArray();
                float original = values[at];
                values[at] = (float) (original + eps);
                double up = lossValue(model, p, values, pixels, ids, decoderIds, target);
                values[at] = (float) (original - eps);
                double down = lossValue(model, p, values, pixels, ids, decoderIds, target);
                values[at] = original;
                model.parameters().setValues(p, values);
                double numeric = (up - down) / (2 * eps);
                assertTrue(Math.abs(grads[i][at]) > 1e-3, names[i] + " gradient is " + grads[i][at]);
                assertEquals(numeric, grads[i][at], 2e-3 + 0.02 * Math.abs(numeric), names[i]);
            }
        }
    }

    /**
     * Autograd keeps some operands of the forward pass for the backward pass, among them the constants the attention
     * queries are scaled by. Those must live in libtorch's memory: DJL's {@code mul(Number)} puts the constant in a
     * Java direct buffer that a garbage collection frees while the graph still reads it, which made training report
     * non-finite gradients now and then. Here a collection runs between forward and backward, and every gradient must
     * be finite and bit for bit the one of a pass without it.
     */
    @Test
    void gradientsDoNotDependOnAGarbageCollectionBeforeBackward() throws InterruptedException {
        try (Florence2Model model = Florence2Model.load(Fixtures.folder("tiny-a-strong"));
                SafeTensorsFile expected = Fixtures.expected("tiny-a-strong");
                NDManager m = model.manager().newSubManager()) {
            Inputs in = Inputs.of(m, expected);
            NDArray pixels = in.pixels();
            NDArray ids = in.ids();
            NDArray decoderIds = in.decoderIds();
            NDArray labels = m.create(shiftLeft(expected.readLongs("decoder_input_ids"), 5), decoderIds.getShape());
            Map<String, NDArray> parameters = new LinkedHashMap<>();
            for (Param p : model.parameters().params()) {
                if (!p.isBuffer()) {
                    parameters.put(p.name(), p.array());
                }
            }
            parameters.values().forEach(p -> p.setRequiresGradient(true));
            try {
                Map<String, float[]> quiet = gradients(model, parameters, pixels, ids, decoderIds, labels, false);
                Map<String, float[]> collected = gradients(model, parameters, pixels, ids, decoderIds, labels, true);
                for (Map.Entry<String, float[]> e : quiet.entrySet()) {
                    for (float g : e.getValue()) {
                        assertTrue(Float.isFinite(g), e.getKey() + " has a non-finite gradient");
                    }
                    assertArrayEquals(e.getValue(), collected.get(e.getKey()), e.getKey());
                }
            } finally {
                parameters.values().forEach(p -> p.setRequiresGradient(false));
            }
        }
    }

    /** The fixture's pixels, prompt ids and decoder ids. */
    private record Inputs(NDArray pixels, NDArray ids, NDArray decoderIds) {
        static Inputs of(NDManager m, SafeTensorsFile expected) {
            return new Inputs(
                    Fixtures.array(m, expected, "pixel_values"),
                    Fixtures.array(m, expected, "input_ids"),
                    Fixtures.array(m, expected, "decoder_input_ids"));
        }
    }

    private static Map<String, float[]> gradients(
            Florence2Model model,
            Map<String, NDArray> parameters,
            NDArray px,
            NDArray ids,
            NDArray dec,
            NDArray labels,
            boolean collectGarbage)
            throws InterruptedException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray logits = model.forward(px, ids, null, dec, ForwardOptions.REFERENCE, Trace.NONE);
            NDArray loss = Seq2SeqLoss.crossEntropy(logits, labels);
            if (collectGarbage) {
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    Thread.sleep(100); // direct buffers are freed by the cleaner thread after the collection
                }
            }
            collector.backward(loss);
            parameters.forEach((name, p) -> out.put(name, p.getGradient().toFloatArray()));
        }
        TestGradients.zero(parameters.values());
        return out;
    }

    private static double lossValue(
            Florence2Model model, Param p, float[] values, NDArray px, NDArray ids, NDArray dec, NDArray target) {
        model.parameters().setValues(p, values);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return loss(model, px, ids, dec, target).getFloat();
        }
    }

    /** Mean token cross-entropy, the compression fixtures' loss definition. */
    private static NDArray loss(Florence2Model model, NDArray px, NDArray ids, NDArray dec, NDArray target) {
        NDArray logits = model.forward(px, ids, null, dec, ForwardOptions.REFERENCE, Trace.NONE); // [B, U, V]
        // the mean over positions, not a division by a Java number (see the test above)
        return logits.logSoftmax(-1).mul(target).sum(new int[] {2}).mean().neg();
    }

    private static long[] shiftLeft(long[] ids, int width) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (i + 1) % width == 0 ? 2 : ids[i + 1];
        }
        return out;
    }

    private static int argmaxAbs(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[best])) {
                best = i;
            }
        }
        return best;
    }
}
