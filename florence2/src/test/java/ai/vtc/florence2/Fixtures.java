package ai.vtc.florence2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.io.DType;
import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.io.TensorSource;
import ai.vtc.florence2.nn.Tensors;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/** Access to the golden fixtures copied into the test resources. */
public final class Fixtures {

    private Fixtures() {}

    public static Path folder(String name) {
        try {
            return Path.of(Objects.requireNonNull(
                                    Fixtures.class.getResource("/fixtures/florence2-golden/" + name + "/config.json"),
                                    name)
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SafeTensorsFile expected(String name) {
        return SafeTensorsFile.open(folder(name).resolve("expected.safetensors"));
    }

    /** A tensor of the fixture as an NDArray (float32 or int64 as stored). */
    public static NDArray array(NDManager manager, TensorSource source, String name) {
        TensorSource.Info info = source.tensors().get(name);
        Shape shape = new Shape(info.shape());
        if (info.dtype() == DType.I64) {
            return Tensors.longs(manager, source.readLongs(name), shape);
        }
        return Tensors.floats(manager, source.readFloats(name), shape);
    }

    /** max |a - b|, failing on a shape mismatch. */
    public static double maxAbsDiff(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("size " + actual.length + " != " + expected.length);
        }
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs((double) actual[i] - expected[i]));
        }
        return max;
    }

    /** numpy.allclose: |a - b| <= atol + rtol * |b| everywhere; returns a description of the worst element or null. */
    public static String allClose(float[] actual, float[] expected, double atol, double rtol) {
        if (actual.length != expected.length) {
            return "size " + actual.length + " != " + expected.length;
        }
        for (int i = 0; i < actual.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            if (!(diff <= atol + rtol * Math.abs(expected[i]))) {
                return "element " + i + ": " + actual[i] + " vs " + expected[i] + " (max |diff| "
                        + maxAbsDiff(actual, expected) + ")";
            }
        }
        return null;
    }
}
