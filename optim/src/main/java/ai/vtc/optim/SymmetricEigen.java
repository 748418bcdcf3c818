package ai.vtc.optim;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Eigen-decomposition of a real symmetric matrix in double precision: Householder reduction to tridiagonal form, then
 * the implicit QL algorithm with Wilkinson-style shifts, accumulating the eigenvectors (the classic tred2/tqli pair,
 * written here with rows of the transform kept contiguous). DJL exposes no {@code eigh}, so SOAP's eigenbases are
 * computed on the host; the matrices are at most {@code max_precond_dim} wide and this runs once per parameter.
 */
final class SymmetricEigen {

    private static final int MAX_ITERATIONS = 60;

    /**
     * @param values eigenvalues in ascending order (as {@code torch.linalg.eigh})
     * @param vectors row-major n x n, column j is the unit eigenvector of {@code values[j]}
     */
    record Result(double[] values, double[] vectors) {}

    private SymmetricEigen() {}

    /** Decomposes the symmetric row-major n x n {@code matrix} (only read; symmetry is assumed, not checked). */
    static Result decompose(double[] matrix, int n) {
        double[] a = matrix.clone();
        double[] rows = identity(n); // row i: i-th row of the accumulated transform, eigenvector i at the end
        double[] d = new double[n];
        double[] e = new double[n];
        tridiagonalize(a, rows, n);
        for (int i = 0; i < n; i++) {
            d[i] = a[i * n + i];
            e[i] = i + 1 < n ? a[(i + 1) * n + i] : 0;
        }
        implicitQl(d, e, rows, n);

        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> d[i])); // stable: ties keep their index order
        double[] values = new double[n];
        double[] vectors = new double[n * n];
        for (int j = 0; j < n; j++) {
            int src = order[j];
            values[j] = d[src];
            for (int r = 0; r < n; r++) {
                vectors[r * n + j] = rows[src * n + r];
            }
        }
        return new Result(values, vectors);
    }

    /**
     * Reduces {@code a} in place to tridiagonal T with Householder reflections H_k (acting on indices above k) and
     * accumulates {@code rows} = H_{n-3} ... H_0, so that a = rows^T T rows.
     */
    private static void tridiagonalize(double[] a, double[] rows, int n) {
        double[] v = new double[n];
        double[] p = new double[n];
        double[] u = new double[n];
        for (int k = 0; k + 2 < n; k++) {
            int s = k + 1;
            double norm2 = 0;
            for (int i = s; i < n; i++) {
                norm2 += a[i * n + k] * a[i * n + k];
            }
            if (norm2 == 0) {
                continue;
            }
            double x0 = a[s * n + k];
            double alpha = x0 > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
            double vNorm2 = 0;
            for (int i = s; i < n; i++) {
                v[i] = a[i * n + k];
            }
            v[s] -= alpha;
            for (int i = s; i < n; i++) {
                vNorm2 += v[i] * v[i];
            }
            double inv = 1 / Math.sqrt(vNorm2);
            for (int i = s; i < n; i++) {
                v[i] *= inv;
            }
            // H A H = A - 2 v w^T - 2 w v^T with p = A v, w = p - (v^T p) v, on the trailing block.
            double vp = 0;
            for (int i = s; i < n; i++) {
                double sum = 0;
                int row = i * n;
                for (int j = s; j < n; j++) {
                    sum += a[row + j] * v[j];
                }
                p[i] = sum;
                vp += v[i] * sum;
            }
            for (int i = s; i < n; i++) {
                p[i] -= vp * v[i];
            }
            for (int i = s; i < n; i++) {
                int row = i * n;
                double vi = 2 * v[i];
                double wi = 2 * p[i];
                for (int j = s; j < n; j++) {
                    a[row + j] -= vi * p[j] + wi * v[j];
                }
            }
            a[s * n + k] = alpha;
            a[k * n + s] = alpha;
            for (int i = s + 1; i < n; i++) {
                a[i * n + k] = 0;
                a[k * n + i] = 0;
            }
            // rows <- H rows, touching rows s.. only.
            Arrays.fill(u, 0);
            for (int i = s; i < n; i++) {
                double vi = v[i];
                int row = i * n;
                for (int c = 0; c < n; c++) {
                    u[c] += vi * rows[row + c];
                }
            }
            for (int i = s; i < n; i++) {
                double vi = 2 * v[i];
                int row = i * n;
                for (int c = 0; c < n; c++) {
                    rows[row + c] -= vi * u[c];
                }
            }
        }
    }

    /**
     * Diagonalises the symmetric tridiagonal matrix with diagonal {@code d} and sub-diagonal {@code e} (e[i] couples
     * d[i] and d[i+1]); eigenvalues end in {@code d}, and every plane rotation is applied to rows i, i+1 of
     * {@code rows}.
     */
    private static void implicitQl(double[] d, double[] e, double[] rows, int n) {
        for (int l = 0; l < n; l++) {
            int iterations = 0;
            int m;
            do {
                for (m = l; m < n - 1; m++) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) + dd == dd) {
                        break;
                    }
                }
                if (m != l) {
                    if (++iterations > MAX_ITERATIONS) {
                        throw new ArithmeticException("symmetric eigen-decomposition did not converge");
                    }
                    double g = (d[l + 1] - d[l]) / (2 * e[l]);
                    double r = Math.sqrt(g * g + 1);
                    g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
                    double s = 1;
                    double c = 1;
                    double p = 0;
                    int i;
                    for (i = m - 1; i >= l; i--) {
                        double f = s * e[i];
                        double b = c * e[i];
                        r = Math.sqrt(f * f + g * g);
                        e[i + 1] = r;
                        if (r == 0) {
                            d[i + 1] -= p;
                            e[m] = 0;
                            break;
                        }
                        s = f / r;
                        c = g / r;
                        g = d[i + 1] - p;
                        r = (d[i] - g) * s + 2 * c * b;
                        p = s * r;
                        d[i + 1] = g + p;
                        g = c * r - b;
                        int lo = i * n;
                        int hi = (i + 1) * n;
                        for (int k = 0; k < n; k++) {
                            double upper = rows[hi + k];
                            rows[hi + k] = s * rows[lo + k] + c * upper;
                            rows[lo + k] = c * rows[lo + k] - s * upper;
                        }
                    }
                    if (r == 0 && i >= l) {
                        continue;
                    }
                    d[l] -= p;
                    e[l] = g;
                    e[m] = 0;
                }
            } while (m != l);
        }
    }

    static double[] identity(int n) {
        double[] id = new double[n * n];
        for (int i = 0; i < n; i++) {
            id[i * n + i] = 1;
        }
        return id;
    }
}
