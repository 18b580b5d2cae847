package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.logitscope.model.ModelThread;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The least-squares solver of the affine lens: fed rows of an exact affine map y = A·x + b (in
 * batches, with inputs whose mean is far from 0 against their spread, as residual streams are), it
 * gives A − I and b back to float64 precision; with a ridge it gives the ridge solution, checked
 * against the normal equations solved separately here (centred sums, Gauss–Jordan in plain Java).
 */
class RidgeRegressionTest {
    private static final int D = 12;
    private static final int ROWS = 600;

    private record Data(double[][] x, double[][] y, double[][] a, double[] b) {}

    private static Data exactAffine(long seed) {
        Random random = new Random(seed);
        double[][] a = new double[D][D];
        double[] b = new double[D];
        for (int o = 0; o < D; o++) {
            b[o] = random.nextGaussian() * 3;
            for (int i = 0; i < D; i++) {
                a[o][i] = random.nextGaussian() / Math.sqrt(D) + (o == i ? 1 : 0);
            }
        }
        double[][] x = new double[ROWS][D];
        double[][] y = new double[ROWS][D];
        for (int r = 0; r < ROWS; r++) {
            for (int i = 0; i < D; i++) {
                // dimension 0 sits at 500 ± 1 (an outlier dimension); the others are spread widely
                x[r][i] = i == 0 ? 500 + random.nextGaussian() : random.nextGaussian() * (1 + i);
            }
            for (int o = 0; o < D; o++) {
                double sum = b[o];
                for (int i = 0; i < D; i++) {
                    sum += a[o][i] * x[r][i];
                }
                y[r][o] = sum;
            }
        }
        return new Data(x, y, a, b);
    }

    private static RidgeRegression.Solution fit(Data data, double ridge) throws Exception {
        try (ModelThread thread = new ModelThread()) {
            return thread.call(root -> {
                try (NDManager m = root.newSubManager(); RidgeRegression regression = new RidgeRegression(D, m)) {
                    for (int from = 0; from < ROWS; from += 250) { // uneven batches: 250, 250, 100
                        int to = Math.min(ROWS, from + 250);
                        regression.add(rows(m, data.x(), from, to), rows(m, data.y(), from, to));
                    }
                    assertThat(regression.rows()).isEqualTo(ROWS);
                    return regression.solve(ridge);
                }
            });
        }
    }

    private static NDArray rows(NDManager m, double[][] values, int from, int to) {
        double[] flat = new double[(to - from) * D];
        for (int r = from; r < to; r++) {
            System.arraycopy(values[r], 0, flat, (r - from) * D, D);
        }
        return m.create(flat, new Shape(to - from, D));
    }

    @Test
    void anExactAffineMapIsRecoveredInTunedLensForm() throws Exception {
        Data data = exactAffine(7);
        RidgeRegression.Solution solution = fit(data, 0);
        assertThat(solution.ridgeAbsolute()).isZero();
        for (int o = 0; o < D; o++) {
            assertThat(solution.bias()[o]).as("b[%d]", o).isCloseTo(data.b()[o], within(1e-8));
            for (int i = 0; i < D; i++) {
                double w = data.a()[o][i] - (o == i ? 1 : 0); // W = A − I, [out, in]
                assertThat(solution.weight()[o * D + i]).as("W[%d][%d]", o, i).isCloseTo(w, within(1e-10));
            }
        }
    }

    @Test
    void aRidgeGivesTheSolutionOfTheCentredNormalEquations() throws Exception {
        Data data = exactAffine(11);
        Random noise = new Random(3);
        for (double[] row : data.y()) {
            for (int o = 0; o < D; o++) {
                row[o] += noise.nextGaussian() * 2; // a fit that is not exact, so the ridge matters
            }
        }
        double ridge = 0.05;
        RidgeRegression.Solution solution = fit(data, ridge);

        // The reference: C_xx = Σ(x−x̄)(x−x̄)ᵀ, C_xy = Σ(x−x̄)(y−ȳ)ᵀ, (C_xx + λI)·Aᵀ = C_xy, λ = ridge·tr(C_xx)/d.
        double[] mx = mean(data.x());
        double[] my = mean(data.y());
        double[][] cxx = new double[D][D];
        double[][] cxy = new double[D][D];
        for (int r = 0; r < ROWS; r++) {
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    cxx[i][j] += (data.x()[r][i] - mx[i]) * (data.x()[r][j] - mx[j]);
                    cxy[i][j] += (data.x()[r][i] - mx[i]) * (data.y()[r][j] - my[j]);
                }
            }
        }
        double trace = 0;
        for (int i = 0; i < D; i++) {
            trace += cxx[i][i];
        }
        double lambda = ridge * trace / D;
        for (int i = 0; i < D; i++) {
            cxx[i][i] += lambda;
        }
        double[][] at = gaussJordan(cxx, cxy); // [in, out]
        assertThat(solution.ridgeAbsolute()).isCloseTo(lambda, within(1e-9 * lambda));
        double largestShrink = 0;
        for (int o = 0; o < D; o++) {
            double bias = my[o];
            for (int i = 0; i < D; i++) {
                bias -= at[i][o] * mx[i];
                double w = at[i][o] - (o == i ? 1 : 0);
                assertThat(solution.weight()[o * D + i]).as("W[%d][%d]", o, i).isCloseTo(w, within(1e-9));
                largestShrink = Math.max(largestShrink, Math.abs(at[i][o] - data.a()[o][i]));
            }
            assertThat(solution.bias()[o]).as("b[%d]", o).isCloseTo(bias, within(1e-7));
        }
        assertThat(largestShrink).as("the ridge moved the solution off the true map").isGreaterThan(1e-3);
    }

    private static double[] mean(double[][] rows) {
        double[] m = new double[D];
        for (double[] row : rows) {
            for (int i = 0; i < D; i++) {
                m[i] += row[i] / rows.length;
            }
        }
        return m;
    }

    /** Solves M·X = R for X by Gauss–Jordan elimination with partial pivoting. */
    private static double[][] gaussJordan(double[][] m, double[][] r) {
        int n = m.length;
        double[][] a = new double[n][];
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = m[i].clone();
            x[i] = r[i].clone();
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                    pivot = row;
                }
            }
            double[] t = a[col]; a[col] = a[pivot]; a[pivot] = t;
            t = x[col]; x[col] = x[pivot]; x[pivot] = t;
            for (int row = 0; row < n; row++) {
                if (row == col) {
                    continue;
                }
                double f = a[row][col] / a[col][col];
                for (int k = 0; k < n; k++) {
                    a[row][k] -= f * a[col][k];
                }
                for (int k = 0; k < x[row].length; k++) {
                    x[row][k] -= f * x[col][k];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < x[i].length; k++) {
                x[i][k] /= a[i][i];
            }
        }
        return x;
    }
}
