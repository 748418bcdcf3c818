package ai.vtc.florence2.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Creating arrays from Java values. DJL's {@code manager.create(buffer, ...)} and {@code array.set(buffer)} both make
 * the tensor alias a direct buffer ({@code from_blob}) instead of copying it, which would tie the tensor's memory to the
 * Java garbage collector (or to a memory-mapped file). Here the values go through a reused per-thread scratch buffer
 * and are cloned into libtorch-owned memory, so closing the array frees its memory at once.
 */
public final class Tensors {

    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> direct(1 << 16));

    private Tensors() {}

    public static NDArray floats(NDManager manager, float[] values, Shape shape) {
        checkSize(values.length, shape);
        ByteBuffer buffer = scratch(values.length * 4L);
        buffer.asFloatBuffer().put(values);
        return fill(manager, buffer, values.length * 4, shape, DataType.FLOAT32);
    }

    public static NDArray longs(NDManager manager, long[] values, Shape shape) {
        checkSize(values.length, shape);
        ByteBuffer buffer = scratch(values.length * 8L);
        buffer.asLongBuffer().put(values);
        return fill(manager, buffer, values.length * 8, shape, DataType.INT64);
    }

    /** Row-major long[][] (all rows the same length) as an int64 [rows, cols] array. */
    public static NDArray longs(NDManager manager, long[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        long[] flat = new long[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("ragged rows: row " + r + " has " + rows[r].length + " values");
            }
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        return longs(manager, flat, new Shape(rows.length, cols));
    }

    /**
     * {@code x * value}, with the scalar in libtorch-owned memory. DJL's {@code x.mul(Number)} wraps the number in a
     * direct buffer ({@code from_blob}) and lets go of that buffer as soon as the product is computed, but autograd
     * keeps the scalar for the backward pass (the gradient of x * s is grad * s): once a garbage collection has freed
     * the buffer, the backward pass reads freed memory and the gradients of everything before the product are garbage.
     * Every product with a constant on a path that gradients flow through must use this method.
     */
    public static NDArray mul(NDArray x, float value) {
        try (NDArray scalar = x.getManager().full(new Shape(), value, x.getDataType())) {
            return x.mul(scalar);
        }
    }

    private static NDArray fill(NDManager manager, ByteBuffer buffer, int bytes, Shape shape, DataType type) {
        buffer.limit(bytes);
        return copyOf(manager, buffer, shape, type);
    }

    /**
     * A libtorch-owned copy of the native-order values in {@code buffer} (position to limit); the buffer can be reused
     * or unmapped afterwards.
     */
    public static NDArray copyOf(NDManager manager, ByteBuffer buffer, Shape shape, DataType type) {
        ByteBuffer direct = buffer;
        if (!buffer.isDirect()) {
            direct = scratch(buffer.remaining());
            direct.put(buffer.duplicate()).flip();
        }
        try (NDArray alias = manager.create(direct.order(ByteOrder.nativeOrder()), shape, type)) {
            return alias.duplicate();
        }
    }

    private static ByteBuffer scratch(long bytes) {
        ByteBuffer buffer = SCRATCH.get();
        if (buffer.capacity() < bytes) {
            buffer = direct(Math.toIntExact(Math.max(bytes, buffer.capacity() * 2L)));
            SCRATCH.set(buffer);
        }
        buffer.clear();
        return buffer;
    }

    private static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    private static void checkSize(int length, Shape shape) {
        if (length != shape.size()) {
            throw new IllegalArgumentException(length + " values do not fill shape " + shape);
        }
    }
}
