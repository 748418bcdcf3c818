package ai.vtc.optim;

/**
 * The orthogonal factor Q of a square matrix A = QR by Householder reflections, with LAPACK's conventions
 * ({@code dgeqrf} + {@code dorgqr}: a reflection is skipped when the column below the diagonal is already zero, and
 * R's diagonal takes the sign opposite to the pivot), so that Q matches {@code torch.linalg.qr} column for column up
 * to rounding. DJL exposes no QR, so SOAP's basis refresh runs it on the host in double precision.
 */
final class HouseholderQr {

    private HouseholderQr() {}

    /** Q (row-major n x n) of the row-major n x n {@code matrix}, which is only read. */
    static double[] orthogonalFactor(double[] matrix, int n) {
        double[] a = matrix.clone();
        double[] tau = new double[n];
        double[] w = new double[n];
        for (int k = 0; k < n; k++) {
            double alpha = a[k * n + k];
            double xNorm2 = 0;
            for (int i = k + 1; i < n; i++) {
                xNorm2 += a[i * n + k] * a[i * n + k];
            }
            if (xNorm2 == 0) {
                tau[k] = 0;
                continue;
            }
            double beta = -Math.copySign(Math.sqrt(alpha * alpha + xNorm2), alpha);
            tau[k] = (beta - alpha) / beta;
            double scale = 1 / (alpha - beta);
            for (int i = k + 1; i < n; i++) {
                a[i * n + k] *= scale; // v = (1, a[k+1.., k])
            }
            a[k * n + k] = beta;
            // Apply H = I - tau v v^T to the columns right of k.
            for (int j = k + 1; j < n; j++) {
                w[j] = a[k * n + j];
            }
            for (int i = k + 1; i < n; i++) {
                double vi = a[i * n + k];
                int row = i * n;
                for (int j = k + 1; j < n; j++) {
                    w[j] += vi * a[row + j];
                }
            }
            for (int j = k + 1; j < n; j++) {
                a[k * n + j] -= tau[k] * w[j];
            }
            for (int i = k + 1; i < n; i++) {
                double f = tau[k] * a[i * n + k];
                int row = i * n;
                for (int j = k + 1; j < n; j++) {
                    a[row + j] -= f * w[j];
                }
            }
        }
        // Q = H_0 H_1 ... H_{n-1} I, applied from the last reflection backwards (dorg2r).
        double[] q = SymmetricEigen.identity(n);
        for (int k = n - 1; k >= 0; k--) {
            if (tau[k] == 0) {
                continue;
            }
            for (int j = k; j < n; j++) {
                w[j] = q[k * n + j];
            }
            for (int i = k + 1; i < n; i++) {
                double vi = a[i * n + k];
                int row = i * n;
                for (int j = k; j < n; j++) {
                    w[j] += vi * q[row + j];
                }
            }
            for (int j = k; j < n; j++) {
                q[k * n + j] -= tau[k] * w[j];
            }
            for (int i = k + 1; i < n; i++) {
                double f = tau[k] * a[i * n + k];
                int row = i * n;
                for (int j = k; j < n; j++) {
                    q[row + j] -= f * w[j];
                }
            }
        }
        return q;
    }
}
