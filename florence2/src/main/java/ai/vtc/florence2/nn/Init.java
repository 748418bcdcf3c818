package ai.vtc.florence2.nn;

import java.util.random.RandomGenerator;

/**
 * How a parameter is filled when a model is created from a config instead of a checkpoint. Values are drawn in Java
 * from a seeded generator, so a seed gives the same model on every engine and device.
 */
public sealed interface Init {

    /** Fills {@code out} (row-major values of a tensor whose last dimension is {@code lastDim}). */
    void fill(float[] out, long lastDim, RandomGenerator random);

    static Init zeros() {
        return new Constant(0f);
    }

    static Init ones() {
        return new Constant(1f);
    }

    static Init normal(double std) {
        return new Normal(std, false);
    }

    /** Normal distribution with one row set to zero (an embedding's {@code padding_idx}, as BART initialises it). */
    static Init normalWithZeroRow(double std, int row) {
        return new NormalZeroRow(std, row);
    }

    /** Normal distribution truncated at two standard deviations (timm's {@code trunc_normal_}). */
    static Init truncatedNormal(double std) {
        return new Normal(std, true);
    }

    /**
     * {@code torch.nn.init.kaiming_uniform_(w, a)} with fan-in the last dimension: uniform on [-bound, bound], bound =
     * sqrt(6 / ((1 + a^2) fan_in)); PEFT draws LoRA's A this way with a = sqrt(5).
     */
    static Init kaimingUniform(double a) {
        return new KaimingUniform(a);
    }

    /** The cosine/sine table of {@code PositionalEmbeddingCosine1D}: a buffer, fully determined by its shape. */
    static Init cosineTable() {
        return new CosineTable();
    }

    record Constant(float value) implements Init {
        @Override
        public void fill(float[] out, long lastDim, RandomGenerator random) {
            java.util.Arrays.fill(out, value);
        }
    }

    record Normal(double std, boolean truncated) implements Init {
        @Override
        public void fill(float[] out, long lastDim, RandomGenerator random) {
            for (int i = 0; i < out.length; i++) {
                double g = random.nextGaussian();
                while (truncated && Math.abs(g) > 2.0) {
                    g = random.nextGaussian();
                }
                out[i] = (float) (g * std);
            }
        }
    }

    record NormalZeroRow(double std, int row) implements Init {
        @Override
        public void fill(float[] out, long lastDim, RandomGenerator random) {
            new Normal(std, false).fill(out, lastDim, random);
            java.util.Arrays.fill(out, (int) (row * lastDim), (int) ((row + 1) * lastDim), 0f);
        }
    }

    record KaimingUniform(double a) implements Init {
        @Override
        public void fill(float[] out, long lastDim, RandomGenerator random) {
            double bound = Math.sqrt(6.0 / ((1 + a * a) * lastDim));
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) random.nextDouble(-bound, bound);
            }
        }
    }

    /**
     * pos_idx_to_embed[p, 2i] = sin(p * exp(-ln(10000) * 2i / D)), [p, 2i+1] = cos(same), computed in float32 like the
     * reference.
     */
    record CosineTable() implements Init {
        @Override
        public void fill(float[] out, long lastDim, RandomGenerator random) {
            int d = (int) lastDim;
            int rows = out.length / d;
            float factor = (float) Math.log(10000);
            for (int i = 0; i < d; i += 2) {
                float denominator = (float) Math.exp(-factor * (float) i / d);
                for (int p = 0; p < rows; p++) {
                    float frequency = p * denominator;
                    out[p * d + i] = (float) Math.sin(frequency);
                    if (i + 1 < d) {
                        out[p * d + i + 1] = (float) Math.cos(frequency);
                    }
                }
            }
        }
    }
}
