package ai.vtc.florence2.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * One named tensor of the model, named exactly as in the Hugging Face checkpoint. The value is set once by the loader
 * or the random initialiser; blocks read it with {@link #array()} on every forward pass, so training can swap in a
 * gradient-tracking array without rebuilding the model.
 */
public final class Param {

    private final String name;
    private final Shape shape;
    private final Init init;
    private final boolean buffer;
    private NDArray array;

    Param(String name, Shape shape, Init init, boolean buffer) {
        this.name = name;
        this.shape = shape;
        this.init = init;
        this.buffer = buffer;
    }

    public String name() {
        return name;
    }

    public Shape shape() {
        return shape;
    }

    public Init init() {
        return init;
    }

    /** Buffers (not trained, recomputable) may be absent from a checkpoint; their init value is used then. */
    public boolean isBuffer() {
        return buffer;
    }

    public boolean isSet() {
        return array != null;
    }

    public NDArray array() {
        if (array == null) {
            throw new IllegalStateException("parameter " + name + " has not been loaded or initialised");
        }
        return array;
    }

    /** Replaces the value; the previous array is closed. The new array must have the declared shape. */
    public void set(NDArray value) {
        Objects.requireNonNull(value, "value");
        if (!value.getShape().equals(shape)) {
            throw new IllegalArgumentException(
                    "parameter " + name + " has shape " + shape + " but the value has shape " + value.getShape());
        }
        if (array != null && array != value) {
            array.close();
        }
        value.setName(name);
        array = value;
    }

    @Override
    public String toString() {
        return name + shape;
    }
}
