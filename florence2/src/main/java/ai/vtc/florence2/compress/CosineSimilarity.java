package ai.vtc.florence2.compress;

import ai.djl.ndarray.NDArray;

/**
 * Cosine similarity between the grid tokens of each sample, for divprune and dominant_merge: cos(i, j) = (x_i . x_j) /
 * (|x_i| |x_j|) in float32, and 0 when either norm is 0. The dot products come from one batched matmul on the grid's
 * device; the quotients are formed on the host, where the selection runs. Detached: a constant for autograd. Letters:
 * B batch, n grid tokens, D model width.
 */
final class CosineSimilarity {

    private CosineSimilarity() {}

    /** grid [B, n, D] -> per sample, the row-major [n * n] cosine matrix */
    static float[][] matrices(NDArray grid) {
        NDArray x = grid.stopGradient(); // [B, n, D]
        int b = Math.toIntExact(x.getShape().get(0));
        int n = Math.toIntExact(x.getShape().get(1));
        float[] dots = x.matMul(x.transpose(0, 2, 1)).toFloatArray(); // [B, n, n]
        float[] norms = x.square().sum(new int[] {2}).sqrt().toFloatArray(); // [B, n]
        float[][] out = new float[b][n * n];
        for (int s = 0; s < b; s++) {
            for (int i = 0; i < n; i++) {
                float ni = norms[s * n + i];
                for (int j = 0; j < n; j++) {
                    float denominator = ni * norms[s * n + j];
                    out[s][i * n + j] = denominator == 0f ? 0f : dots[(s * n + i) * n + j] / denominator;
                }
            }
        }
        return out;
    }
}
