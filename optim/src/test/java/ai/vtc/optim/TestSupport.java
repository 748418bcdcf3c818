package ai.vtc.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/** Helpers shared by the tests: numpy-style closeness and conversions between NDArrays and double arrays. */
final class TestSupport {

    private TestSupport() {}

    /** |actual - expected| <= atol + rtol * |expected| element-wise, with the first offending index in the message. */
    static void assertClose(String what, double[] expected, float[] actual, double atol, double rtol) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(actual[i] - expected[i]);
            if (!(diff <= atol + rtol * Math.abs(expected[i]))) {
                fail(what + ": element " + i + " expected " + expected[i] + " got " + actual[i] + " (diff " + diff
                        + ")");
            }
        }
    }

    static void assertClose(String what, double[] expected, double[] actual, double atol) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(actual[i] - expected[i]);
            if (!(diff <= atol)) {
                fail(what + ": element " + i + " expected " + expected[i] + " got " + actual[i] + " (diff " + diff
                        + ")");
            }
        }
    }

    static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    static double[] toDouble(NDArray array) {
        return toDouble(array.toFloatArray());
    }

    /** Uniform values in [-1, 1), rounded to float so that the NDArray and the double reference start equal. */
    static float[] uniform(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (2 * random.nextDouble() - 1);
        }
        return out;
    }

    static NDArray array(NDManager manager, float[] values, long... shape) {
        return manager.create(values, new Shape(shape));
    }
}
