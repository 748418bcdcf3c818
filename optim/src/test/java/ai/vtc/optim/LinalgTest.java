package ai.vtc.optim;

import static ai.vtc.optim.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinalgTest {

    private static double[][] randomSymmetric(Random random, int n) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = a[j][i] = random.nextGaussian();
            }
        }
        return a;
    }

    @Test
    void eigenDecompositionMatchesJacobi() {
        Random random = new Random(7);
        for (int n : new int[] {1, 2, 3, 5, 17, 64}) {
            double[][] a = randomSymmetric(random, n);
            SymmetricEigen.Result result = SymmetricEigen.decompose(ReferenceLinalg.flat(a), n);
            ReferenceLinalg.Eigen expected = ReferenceLinalg.jacobi(a);
            assertClose("eigenvalues n=" + n, expected.values(), result.values(), 1e-10);
            double[][] v = ReferenceLinalg.square(result.vectors(), n);
            // A V = V diag(values), and V^T V = I.
            double[][] av = ReferenceLinalg.multiply(a, v);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(v[i][j] * result.values()[j], av[i][j], 1e-10, "A v = lambda v, n=" + n);
                }
            }
            assertIdentity(ReferenceLinalg.multiply(ReferenceLinalg.transpose(v), v), 1e-12);
            // Each eigenvector equals Jacobi's up to sign (eigenvalues of random matrices are distinct).
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += v[i][j] * expected.vectors()[i][j];
                }
                assertEquals(1, Math.abs(dot), 1e-9, "eigenvector " + j + " n=" + n);
            }
        }
    }

    @Test
    void eigenDecompositionOfRankDeficientAndZeroMatrices() {
        double[][] zero = new double[4][4];
        SymmetricEigen.Result z = SymmetricEigen.decompose(ReferenceLinalg.flat(zero), 4);
        assertClose("zero eigenvalues", new double[4], z.values(), 0);
        assertIdentity(
                ReferenceLinalg.multiply(
                        ReferenceLinalg.transpose(ReferenceLinalg.square(z.vectors(), 4)),
                        ReferenceLinalg.square(z.vectors(), 4)),
                0);
        double[] g = {1, -2, 0.5};
        double[][] outer = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                outer[i][j] = g[i] * g[j];
            }
        }
        SymmetricEigen.Result r = SymmetricEigen.decompose(ReferenceLinalg.flat(outer), 3);
        assertClose("rank one", new double[] {0, 0, 5.25}, r.values(), 1e-12);
    }

    @Test
    void householderQrMatchesGramSchmidtUpToColumnSigns() {
        Random random = new Random(11);
        for (int n : new int[] {1, 2, 3, 8, 33}) {
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i][j] = random.nextGaussian();
                }
            }
            double[][] q = ReferenceLinalg.square(HouseholderQr.orthogonalFactor(ReferenceLinalg.flat(a), n), n);
            double[][] expected = ReferenceLinalg.gramSchmidtQ(a);
            assertIdentity(ReferenceLinalg.multiply(ReferenceLinalg.transpose(q), q), 1e-12);
            for (int j = 0; j < n; j++) {
                double sign = Math.signum(q[0][j] * expected[0][j]);
                for (int i = 0; i < n; i++) {
                    assertEquals(expected[i][j], sign * q[i][j], 1e-9, "Q[" + i + "][" + j + "] n=" + n);
                }
            }
            // R = Q^T A is upper triangular.
            double[][] r = ReferenceLinalg.multiply(ReferenceLinalg.transpose(q), a);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    assertEquals(0, r[i][j], 1e-12, "R below diagonal");
                }
            }
        }
    }

    @Test
    void householderQrFollowsLapackSigns() {
        // LAPACK: R's diagonal has the sign opposite to the pivot, and no reflection for the last column.
        double[][] a = {{3, 1}, {4, 2}};
        double[][] q = ReferenceLinalg.square(HouseholderQr.orthogonalFactor(ReferenceLinalg.flat(a), 2), 2);
        assertClose("Q", new double[] {-0.6, -0.8, -0.8, 0.6}, ReferenceLinalg.flat(q), 1e-15);
        double[][] upper = {{2, 1}, {0, -3}};
        double[][] identity = ReferenceLinalg.square(HouseholderQr.orthogonalFactor(ReferenceLinalg.flat(upper), 2), 2);
        assertClose("already triangular", new double[] {1, 0, 0, 1}, ReferenceLinalg.flat(identity), 0);
    }

    private static void assertIdentity(double[][] m, double atol) {
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                assertEquals(i == j ? 1 : 0, m[i][j], atol, "identity at " + i + "," + j);
            }
        }
    }
}
