package ai.vtc.optim;

import static ai.vtc.optim.TestSupport.array;
import static ai.vtc.optim.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SoapTest {

    private static final double ATOL = 1e-6;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * The parameters of the comparison: two matrices, a bias (plain Adam unless precondition_1d, not decayed) and a 3-D
     * kernel. The bias has two elements because with precondition_1d its first GG is the rank-one g g^T: from three
     * elements on, the zero eigenvalue repeats and its eigenvectors are arbitrary, in the reference (LAPACK) as here.
     */
    private static Map<String, int[]> shapes() {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("fc.weight", new int[] {2, 3});
        shapes.put("proj.weight", new int[] {3, 2});
        shapes.put("proj.bias", new int[] {2});
        shapes.put("conv.weight", new int[] {2, 3, 2});
        return shapes;
    }

    static Stream<Arguments> configurations() {
        UnaryOperator<SoapConfig> base = c -> c.withLearningRate(0.05).withWeightDecay(0.1);
        return Stream.of(
                Arguments.of("refresh every 2 steps", base.andThen(c -> c.withPreconditionFrequency(2))),
                Arguments.of("refresh every step", base.andThen(c -> c.withPreconditionFrequency(1))),
                Arguments.of(
                        "sides over 2 use the identity",
                        base.andThen(c -> c.withPreconditionFrequency(2).withMaxPrecondDim(2))),
                Arguments.of(
                        "1-D preconditioned, normalized, shampoo beta 0.8, betas 0.9/0.99",
                        base.andThen(c -> c.withPreconditionFrequency(3)
                                .withPrecondition1d(true)
                                .withNormalizeGrads(true)
                                .withShampooBeta(0.8)
                                .withBetas(0.9, 0.99))),
                Arguments.of("no bias correction, reference defaults otherwise", (UnaryOperator<SoapConfig>)
                        c -> c.withCorrectBias(false)));
    }

    /**
     * Seven calls (the first only initialises), compared after every call with the double-precision transcription of
     * the reference, which uses different eigen/QR algorithms: eigenvector signs and representation cannot matter,
     * only the resulting parameters are compared.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void matchesDoublePrecisionReference(String description, Function<SoapConfig, SoapConfig> configure) {
        SoapConfig config = configure.apply(SoapConfig.defaults());
        ReferenceSoap reference = new ReferenceSoap();
        reference.lr = config.learningRate();
        reference.beta1 = config.beta1();
        reference.beta2 = config.beta2();
        reference.shampooBeta = config.shampooBeta();
        reference.eps = config.eps();
        reference.weightDecay = config.weightDecay();
        reference.preconditionFrequency = config.preconditionFrequency();
        reference.maxPrecondDim = config.maxPrecondDim();
        reference.precondition1d = config.precondition1d();
        reference.normalizeGrads = config.normalizeGrads();
        reference.correctBias = config.correctBias();

        Random random = new Random(42);
        Map<String, NDArray> params = new LinkedHashMap<>();
        Map<String, double[]> expected = new LinkedHashMap<>();
        Map<String, ReferenceSoap.State> states = new LinkedHashMap<>();
        shapes().forEach((name, shape) -> {
            float[] init = TestSupport.uniform(random, size(shape));
            params.put(name, array(manager, init, longs(shape)));
            expected.put(name, TestSupport.toDouble(init));
            states.put(name, new ReferenceSoap.State());
        });
        try (Soap soap = new Soap(manager, config)) {
            for (int call = 1; call <= 7; call++) {
                Map<String, NDArray> grads = new LinkedHashMap<>();
                for (Map.Entry<String, int[]> e : shapes().entrySet()) {
                    String name = e.getKey();
                    float[] g = TestSupport.uniform(random, size(e.getValue()));
                    grads.put(name, array(manager, g, longs(e.getValue())));
                    boolean decays =
                            config.decayRule().decays(name, params.get(name).getShape());
                    reference.step(expected.get(name), TestSupport.toDouble(g), e.getValue(), states.get(name), decays);
                }
                soap.step(params, grads);
                grads.values().forEach(NDArray::close);
                for (String name : params.keySet()) {
                    assertClose(
                            description + ": " + name + " after call " + call,
                            expected.get(name),
                            params.get(name).toFloatArray(),
                            ATOL,
                            0);
                }
            }
        }
    }

    @Test
    void firstStepOnlyInitialisesThePreconditioner() {
        float[] w = {0.5f, -1f, 2f, 1.5f, 0.25f, -0.75f};
        float[] g = {1f, 2f, -1f, 0.5f, 0f, 3f};
        NDArray param = array(manager, w, 2, 3);
        NDArray bias = array(manager, new float[] {1f, 2f, 3f}, 3);
        try (Soap soap = new Soap(manager, SoapConfig.defaults())) {
            soap.step(
                    Map.of("w", param, "b", bias),
                    Map.of("w", array(manager, g, 2, 3), "b", array(manager, new float[] {1, 1, 1}, 3)));
            assertArrayEquals(w, param.toFloatArray(), "the reference skips the update on the first step");
            assertArrayEquals(new float[] {1f, 2f, 3f}, bias.toFloatArray(), "1-D parameters too");
            Map<String, NDArray> state = soap.state();
            assertEquals(0L, state.get("soap.step.w").toLongArray()[0]);
            // GG_L = (1 - 0.95) G G^T, GG_R = (1 - 0.95) G^T G.
            double[] left = {0.05 * 6, 0.05 * -2.5, 0.05 * -2.5, 0.05 * 9.25};
            assertClose("GG_L", left, state.get("soap.gg.0.w").toFloatArray(), 1e-6, 1e-6);
            assertEquals(3, state.get("soap.gg.1.w").getShape().get(0));
            assertTrue(state.containsKey("soap.q.1.w"));
            assertFalse(state.containsKey("soap.gg.0.b"), "1-D parameters have no preconditioner by default");
            assertArrayEquals(new float[6], state.get("soap.exp_avg.w").toFloatArray());
        }
    }

    /** merge_dims turns a [2, 2, 3] kernel with max_precond_dim 4 into [4, 3]: the same as SOAP on the reshape. */
    @Test
    void mergedDimensionsEqualTheReshapedMatrix() {
        SoapConfig config = SoapConfig.defaults()
                .withMaxPrecondDim(4)
                .withMergeDims(true)
                .withPreconditionFrequency(2)
                .withLearningRate(0.05);
        Random random = new Random(3);
        float[] init = TestSupport.uniform(random, 12);
        NDArray kernel = array(manager, init, 2, 2, 3);
        NDArray matrix = array(manager, init, 4, 3);
        try (Soap merged = new Soap(manager, config);
                Soap plain = new Soap(manager, config.withMergeDims(false))) {
            assertArrayEquals(new long[] {4, 3}, merged.preconditionedShape(kernel.getShape()));
            for (int call = 0; call < 6; call++) {
                float[] g = TestSupport.uniform(random, 12);
                merged.step(Map.of("k", kernel), Map.of("k", array(manager, g, 2, 2, 3)));
                plain.step(Map.of("k", matrix), Map.of("k", array(manager, g, 4, 3)));
                assertClose(
                        "call " + call, TestSupport.toDouble(matrix.toFloatArray()), kernel.toFloatArray(), 1e-7, 0);
            }
            assertTrue(merged.state().containsKey("soap.q.1.k"));
            assertFalse(merged.state().containsKey("soap.q.2.k"));
        }
    }

    @Test
    void mergeDimsFollowsTheReferenceRule() {
        try (Soap soap =
                new Soap(manager, SoapConfig.defaults().withMergeDims(true).withMaxPrecondDim(10))) {
            assertArrayEquals(new long[] {6, 4}, soap.preconditionedShape(new ai.djl.ndarray.types.Shape(2, 3, 4)));
            assertArrayEquals(new long[] {20, 3}, soap.preconditionedShape(new ai.djl.ndarray.types.Shape(20, 3)));
            assertArrayEquals(new long[] {1}, soap.preconditionedShape(new ai.djl.ndarray.types.Shape(1, 1)));
        }
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static long[] longs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }
}
