package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;

/**
 * {@code pool2d}: average pooling of the grid in non-overlapping k x k windows (kernel = stride = k, no padding);
 * trailing rows and columns that do not fill a window are dropped, as {@code avg_pool2d} with {@code ceil_mode=False}.
 * Kernel 1 is the identity (the sweep refuses it; the library allows it). Letters: B batch, h/w grid rows/columns, D
 * model width.
 *
 * @param kernel the window side k (>= 1)
 */
public record Pool2d(int kernel) implements GridMethod {

    public static final String ID = "pool2d";

    public Pool2d {
        if (kernel < 1) {
            throw new InvalidCompressionException(ID + " kernel must be >= 1, got " + kernel);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int keptTokens(int height, int width) {
        if (kernel > height || kernel > width) {
            throw new InvalidCompressionException(ID + " kernel must be in 1.." + Math.min(height, width) + " for a "
                    + height + "x" + width + " grid, got " + kernel);
        }
        return (height / kernel) * (width / kernel);
    }

    @Override
    public GridCompression compress(GridInputs inputs) {
        keptTokens(inputs.height(), inputs.width());
        return GridCompression.pooled(pool(inputs.grid(), inputs.height(), inputs.width(), kernel));
    }

    /** grid [B, h*w, D] row-major -> [B, floor(h/k) * floor(w/k), D] row-major */
    public static NDArray pool(NDArray grid, int height, int width, int kernel) {
        long b = grid.getShape().get(0);
        long d = grid.getShape().get(2);
        if (grid.getShape().get(1) != (long) height * width) {
            throw new IllegalArgumentException(
                    "the grid has " + grid.getShape().get(1) + " tokens, not " + height + "x" + width);
        }
        int rows = height / kernel;
        int cols = width / kernel;
        NDArray x = grid.reshape(b, height, width, d); // [B, h, w, D]
        if (rows * kernel != height || cols * kernel != width) {
            x = x.get(":, 0:{}, 0:{}, :", rows * kernel, cols * kernel); // [B, rows*k, cols*k, D]
        }
        return x.reshape(b, rows, kernel, cols, kernel, d) // [B, rows, k, cols, k, D]
                .transpose(0, 1, 3, 2, 4, 5) // [B, rows, cols, k, k, D]
                .reshape(b, (long) rows * cols, (long) kernel * kernel, d)
                .mean(new int[] {2}); // [B, rows * cols, D]: one mean over each window's k*k tokens
    }
}
