package ai.vtc.optim;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A straightforward double-precision transcription of the reference SOAP step ({@code soap.py} of
 * github.com/nikhilvyas/SOAP, merge_dims off) for the tests: tensors are flat row-major double arrays, the
 * {@code tensordot} contractions are written out, eigenvectors come from Jacobi and the refresh QR from Gram-Schmidt.
 * Unlike the production code it follows the reference literally, including moving the first moment back to the
 * original space and into the eigenbasis again on every step.
 */
final class ReferenceSoap {

    double lr = 3e-3;
    double beta1 = 0.95;
    double beta2 = 0.95;
    double shampooBeta = -1;
    double eps = 1e-8;
    double weightDecay = 0.01;
    int preconditionFrequency = 10;
    int maxPrecondDim = 10000;
    boolean precondition1d = false;
    boolean normalizeGrads = false;
    boolean correctBias = true;

    /** State of one parameter. */
    static final class State {
        int step;
        double[] expAvg;
        double[] expAvgSq;
        double[][][] gg; // per side, null = identity
        double[][][] q;
        boolean initialised;
    }

    /** One call of the reference's {@code step()} for one parameter, updating {@code p} in place. */
    void step(double[] p, double[] grad, int[] shape, State state, boolean decays) {
        if (!state.initialised) {
            state.expAvg = new double[p.length];
            state.expAvgSq = new double[p.length];
            state.gg = new double[shape.length][][];
            for (int k = 0; k < shape.length; k++) {
                boolean allowed = shape.length != 1 || precondition1d;
                if (allowed && shape[k] <= maxPrecondDim) {
                    state.gg[k] = new double[shape[k]][shape[k]];
                }
            }
            state.initialised = true;
            updatePreconditioner(grad, shape, state);
            return;
        }
        double[] projected = project(grad, shape, state.q, false);
        state.step++;
        for (int i = 0; i < p.length; i++) {
            state.expAvg[i] = state.expAvg[i] * beta1 + (1 - beta1) * projected[i];
            state.expAvgSq[i] = state.expAvgSq[i] * beta2 + (1 - beta2) * projected[i] * projected[i];
        }
        double stepSize = lr;
        if (correctBias) {
            stepSize = stepSize * Math.sqrt(1 - Math.pow(beta2, state.step)) / (1 - Math.pow(beta1, state.step));
        }
        double[] ratio = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            ratio[i] = state.expAvg[i] / (Math.sqrt(state.expAvgSq[i]) + eps);
        }
        double[] normGrad = project(ratio, shape, state.q, true);
        if (normalizeGrads) {
            double meanSquare = 0;
            for (double x : normGrad) {
                meanSquare += x * x;
            }
            double rms = 1e-30 + Math.sqrt(meanSquare / normGrad.length);
            for (int i = 0; i < normGrad.length; i++) {
                normGrad[i] /= rms;
            }
        }
        for (int i = 0; i < p.length; i++) {
            p[i] -= stepSize * normGrad[i];
        }
        if (weightDecay > 0 && decays) {
            for (int i = 0; i < p.length; i++) {
                p[i] += p[i] * (-lr * weightDecay);
            }
        }
        updatePreconditioner(grad, shape, state);
    }

    private void updatePreconditioner(double[] grad, int[] shape, State state) {
        if (state.q != null) {
            state.expAvg = project(state.expAvg, shape, state.q, true);
        }
        double sb = shampooBeta >= 0 ? shampooBeta : beta2;
        for (int k = 0; k < shape.length; k++) {
            if (state.gg[k] == null) {
                continue;
            }
            double[][] outer = modeOuter(grad, shape, k);
            for (int i = 0; i < outer.length; i++) {
                for (int j = 0; j < outer.length; j++) {
                    state.gg[k][i][j] += (1 - sb) * (outer[i][j] - state.gg[k][i][j]);
                }
            }
        }
        if (state.q == null) {
            state.q = new double[shape.length][][];
            for (int k = 0; k < shape.length; k++) {
                if (state.gg[k] != null) {
                    state.q[k] = descendingEigenvectors(state.gg[k]);
                }
            }
        }
        if (state.step > 0 && state.step % preconditionFrequency == 0) {
            refresh(shape, state);
        }
        if (state.step > 0) {
            state.expAvg = project(state.expAvg, shape, state.q, false);
        }
    }

    /** eigh (ascending) then flip, as the reference's get_orthogonal_matrix. */
    private static double[][] descendingEigenvectors(double[][] matrix) {
        ReferenceLinalg.Eigen eigen = ReferenceLinalg.jacobi(matrix);
        int n = matrix.length;
        double[][] out = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                out[r][c] = eigen.vectors()[r][n - 1 - c];
            }
        }
        return out;
    }

    /** get_orthogonal_matrix_QR: sort by estimated eigenvalue, permute exp_avg_sq, one power iteration, QR. */
    private static void refresh(int[] shape, State state) {
        for (int k = 0; k < shape.length; k++) {
            if (state.gg[k] == null) {
                continue;
            }
            double[][] m = state.gg[k];
            double[][] o = state.q[k];
            int n = m.length;
            double[][] estimate =
                    ReferenceLinalg.multiply(ReferenceLinalg.multiply(ReferenceLinalg.transpose(o), m), o);
            Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(
                    order,
                    Comparator.comparingDouble((Integer i) -> estimate[i][i]).reversed());
            state.expAvgSq = indexSelect(state.expAvgSq, shape, k, order);
            double[][] sorted = new double[n][n];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    sorted[r][c] = o[r][order[c]];
                }
            }
            state.q[k] = ReferenceLinalg.gramSchmidtQ(ReferenceLinalg.multiply(m, sorted));
        }
    }

    private static double[] indexSelect(double[] x, int[] shape, int axis, Integer[] order) {
        int before = 1;
        for (int i = 0; i < axis; i++) {
            before *= shape[i];
        }
        int side = shape[axis];
        int after = x.length / (before * side);
        double[] out = new double[x.length];
        for (int b = 0; b < before; b++) {
            for (int j = 0; j < side; j++) {
                for (int r = 0; r < after; r++) {
                    out[(b * side + j) * after + r] = x[(b * side + order[j]) * after + r];
                }
            }
        }
        return out;
    }

    /** tensordot(g, g) over every dimension except k: [shape[k], shape[k]]. */
    private static double[][] modeOuter(double[] g, int[] shape, int k) {
        int before = 1;
        for (int i = 0; i < k; i++) {
            before *= shape[i];
        }
        int side = shape[k];
        int after = g.length / (before * side);
        double[][] out = new double[side][side];
        for (int a = 0; a < side; a++) {
            for (int b = 0; b < side; b++) {
                double sum = 0;
                for (int p = 0; p < before; p++) {
                    for (int r = 0; r < after; r++) {
                        sum += g[(p * side + a) * after + r] * g[(p * side + b) * after + r];
                    }
                }
                out[a][b] = sum;
            }
        }
        return out;
    }

    /**
     * project / project_back: for each side in order, tensordot(x, Q, [[0], [0]]) (or [[0], [1]] going back), or a
     * permutation moving dimension 0 to the end where there is no Q.
     */
    static double[] project(double[] x, int[] shape, double[][][] q, boolean back) {
        int[] current = shape.clone();
        double[] data = x;
        for (int k = 0; k < shape.length; k++) {
            int d0 = current[0];
            int rest = data.length / d0;
            double[] next = new double[data.length];
            double[][] basis = q[k];
            for (int r = 0; r < rest; r++) {
                for (int j = 0; j < d0; j++) {
                    double sum;
                    if (basis == null) {
                        sum = data[j * rest + r];
                    } else {
                        sum = 0;
                        for (int i = 0; i < d0; i++) {
                            sum += data[i * rest + r] * (back ? basis[j][i] : basis[i][j]);
                        }
                    }
                    next[r * d0 + j] = sum;
                }
            }
            int[] rotated = new int[current.length];
            System.arraycopy(current, 1, rotated, 0, current.length - 1);
            rotated[current.length - 1] = d0;
            current = rotated;
            data = next;
        }
        return data;
    }
}
