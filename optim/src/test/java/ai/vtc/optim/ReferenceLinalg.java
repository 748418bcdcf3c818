package ai.vtc.optim;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Test-only linear algebra, deliberately different from the production algorithms: cyclic Jacobi rotations for the
 * symmetric eigen-problem and modified Gram-Schmidt for QR. Matrices are double[n][n].
 */
final class ReferenceLinalg {

    private ReferenceLinalg() {}

    /** Eigenvalues ascending and the matching eigenvectors as columns, by cyclic Jacobi sweeps. */
    record Eigen(double[] values, double[][] vectors) {}

    static Eigen jacobi(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = matrix[i].clone();
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-300) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    // Rotation angle that zeroes a[p][q]: tan(2 theta) = 2 a_pq / (a_qq - a_pp).
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) { // A <- A J
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) { // A <- J^T A
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) { // V <- V J
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> a[i][i]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int j = 0; j < n; j++) {
            values[j] = a[order[j]][order[j]];
            for (int r = 0; r < n; r++) {
                vectors[r][j] = v[r][order[j]];
            }
        }
        return new Eigen(values, vectors);
    }

    /** Q of A = QR by modified Gram-Schmidt on the columns, in order (R's diagonal positive). */
    static double[][] gramSchmidtQ(double[][] matrix) {
        int n = matrix.length;
        double[][] q = new double[n][n];
        double[][] columns = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                columns[j][i] = matrix[i][j];
            }
        }
        for (int j = 0; j < n; j++) {
            double[] u = columns[j];
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += q[i][k] * u[i];
                }
                for (int i = 0; i < n; i++) {
                    u[i] -= dot * q[i][k];
                }
            }
            double norm = 0;
            for (double x : u) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i][j] = u[i] / norm;
            }
        }
        return q;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < m; j++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }

    static double[][] transpose(double[][] a) {
        double[][] out = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                out[j][i] = a[i][j];
            }
        }
        return out;
    }

    static double[][] square(double[] flat, int n) {
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * n, out[i], 0, n);
        }
        return out;
    }

    static double[] flat(double[][] a) {
        int n = a.length;
        int m = a[0].length;
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, out, i * m, m);
        }
        return out;
    }
}
