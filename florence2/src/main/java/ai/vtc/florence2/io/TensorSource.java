package ai.vtc.florence2.io;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/** Named tensors of a checkpoint file, read one at a time and widened to float32 on request. */
public interface TensorSource extends Closeable {

    /** Shape and element type of one stored tensor. */
    record Info(DType dtype, long[] shape) {
        public long numel() {
            return checkedNumel(shape);
        }

        /** The product of the dimensions; an {@link ArithmeticException} when it overflows a long. */
        public static long checkedNumel(long[] shape) {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    /** Every tensor in file order. */
    Map<String, Info> tensors();

    /** A description for messages, e.g. the file name. */
    String describe();

    /**
     * The values of {@code name} as float32 in native byte order, in a direct buffer positioned at 0 with limit =
     * numel * 4. The buffer may be reused by the next call.
     */
    ByteBuffer readFloat32(String name);

    /** The values of an integer tensor as longs (I64, I32, I16, I8, U8, BOOL). */
    long[] readLongs(String name);

    /** Convenience: the float32 values in a Java array. */
    default float[] readFloats(String name) {
        ByteBuffer buffer = readFloat32(name).order(ByteOrder.nativeOrder());
        float[] out = new float[buffer.remaining() / 4];
        buffer.asFloatBuffer().get(out);
        return out;
    }

    @Override
    void close();
}
