package ai.vtc.florence2.image;

/**
 * Pillow's {@code Image.resize} for 8-bit RGB images with the BICUBIC (a = -0.5) or BILINEAR filter, reimplemented
 * from Pillow's {@code Resample.c} so that the Hugging Face processor's pixels are reproduced exactly: separable
 * filter whose support widens with the downscaling factor (antialiasing), coefficients normalised then converted to
 * 22-bit fixed point, a horizontal pass over the needed rows into an 8-bit image (rounded and clipped), then a
 * vertical pass.
 */
public final class PilResize {

    public static final int BILINEAR = 2;
    public static final int BICUBIC = 3;

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResize() {}

    /** rgb: packed row-major [H, W, 3] bytes as ints 0..255; returns [outH, outW, 3]. */
    public static int[] resize(int[] rgb, int width, int height, int outWidth, int outHeight, int filter) {
        if (width == outWidth && height == outHeight) {
            return rgb.clone();
        }
        Coefficients horizontal = coefficients(width, outWidth, filter);
        Coefficients vertical = coefficients(height, outHeight, filter);
        int[] current = rgb;
        int currentHeight = height;
        int currentWidth = width;
        boolean needHorizontal = outWidth != width;
        boolean needVertical = outHeight != height;
        if (needHorizontal) {
            // only the rows the vertical pass will read
            int firstRow = vertical.bounds[0];
            int lastRow = vertical.bounds[outHeight * 2 - 2] + vertical.bounds[outHeight * 2 - 1];
            if (!needVertical) {
                firstRow = 0;
                lastRow = height;
            }
            current = horizontalPass(rgb, width, firstRow, lastRow, outWidth, horizontal);
            for (int i = 0; i < outHeight; i++) {
                vertical.bounds[i * 2] -= firstRow;
            }
            currentHeight = lastRow - firstRow;
            currentWidth = outWidth;
        }
        if (needVertical) {
            current = verticalPass(current, currentWidth, outHeight, vertical);
            currentHeight = outHeight;
        }
        if (currentHeight != outHeight) {
            throw new IllegalStateException("resize produced " + currentHeight + " rows");
        }
        return current;
    }

    private record Coefficients(int kernelSize, int[] bounds, int[] weights) {}

    private static double filter(int type, double x) {
        if (x < 0) {
            x = -x;
        }
        if (type == BILINEAR) {
            return x < 1.0 ? 1.0 - x : 0.0;
        }
        double a = -0.5;
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** Pillow's {@code precompute_coeffs} followed by {@code normalize_coeffs_8bpc}. */
    private static Coefficients coefficients(int inSize, int outSize, int type) {
        double support0 = switch (type) {
            case BILINEAR -> 1.0;
            case BICUBIC -> 2.0;
            default -> throw new IllegalArgumentException("unsupported resample filter " + type);
        };
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = support0 * filterScale;
        int kernelSize = (int) Math.ceil(support) * 2 + 1;
        int[] bounds = new int[outSize * 2];
        int[] weights = new int[outSize * kernelSize];
        double[] k = new double[kernelSize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            double ww = 0.0;
            for (int x = 0; x < xmax; x++) {
                double w = filter(type, (x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < kernelSize; x++) {
                double w = x < xmax ? (ww != 0.0 ? k[x] / ww : k[x]) : 0.0;
                weights[xx * kernelSize + x] =
                        (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        return new Coefficients(kernelSize, bounds, weights);
    }

    private static int[] horizontalPass(int[] in, int width, int firstRow, int lastRow, int outWidth, Coefficients c) {
        int rows = lastRow - firstRow;
        int[] out = new int[rows * outWidth * 3];
        for (int y = 0; y < rows; y++) {
            int rowBase = (y + firstRow) * width * 3;
            for (int xx = 0; xx < outWidth; xx++) {
                int xmin = c.bounds[xx * 2];
                int xmax = c.bounds[xx * 2 + 1];
                int kBase = xx * c.kernelSize;
                for (int ch = 0; ch < 3; ch++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int x = 0; x < xmax; x++) {
                        ss += in[rowBase + (x + xmin) * 3 + ch] * c.weights[kBase + x];
                    }
                    out[(y * outWidth + xx) * 3 + ch] = clip8(ss);
                }
            }
        }
        return out;
    }

    private static int[] verticalPass(int[] in, int width, int outHeight, Coefficients c) {
        int[] out = new int[outHeight * width * 3];
        for (int yy = 0; yy < outHeight; yy++) {
            int ymin = c.bounds[yy * 2];
            int ymax = c.bounds[yy * 2 + 1];
            int kBase = yy * c.kernelSize;
            for (int xx = 0; xx < width; xx++) {
                for (int ch = 0; ch < 3; ch++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int y = 0; y < ymax; y++) {
                        ss += in[((y + ymin) * width + xx) * 3 + ch] * c.weights[kBase + y];
                    }
                    out[(yy * width + xx) * 3 + ch] = clip8(ss);
                }
            }
        }
        return out;
    }

    private static int clip8(int value) {
        int v = value >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
