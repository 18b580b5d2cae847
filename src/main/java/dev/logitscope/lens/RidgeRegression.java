package dev.logitscope.lens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ResidualListener;

/**
 * Ridge regression of y on x (both of width d) with an unpenalised intercept, fitted from sums
 * accumulated batch by batch: memory is O(d²) whatever the number of rows.
 *
 * <p>Sums are float64 and taken around a shift (the first batch's means), so the centring
 * {@code Σ(x−x̄)(x−x̄)ᵀ = Σx̃x̃ᵀ − n·m̃m̃ᵀ} does not cancel away the digits of residual streams whose
 * mean is large against their spread (GPT-2's outlier dimensions).
 *
 * <p>The solve runs in libtorch (float64) through DJL, already on the classpath: {@code inverse} is
 * LAPACK's LU with partial pivoting (getrf/getri), backward stable, and the normal matrix
 * {@code C + λI} is symmetric positive definite with a condition number of at most
 * (λ_max + λ)/λ; one step of iterative refinement ({@code B += M⁻¹(C_xy − M·B)}) then brings the
 * solution to what a direct solve gives. No second linear-algebra library (commons-math3 is
 * unmaintained, EJML would be a new dependency) for a d ≤ 2560 solve per layer.
 */
final class RidgeRegression implements AutoCloseable {
    private final int d;
    private final NDManager manager;
    private NDArray shiftX; // [d]
    private NDArray shiftY; // [d]
    private final NDArray sxx; // [d, d] Σ x̃ x̃ᵀ
    private final NDArray sxy; // [d, d] Σ x̃ ỹᵀ
    private final NDArray sx; // [d]
    private final NDArray sy; // [d]
    private long n;

    /**
     * A fitted map y ≈ A·x + b, in tuned-lens's translator form.
     *
     * @param weight        W = A − I, row-major [out, in] (as {@code nn.Linear} stores it)
     * @param bias          b, [d]
     * @param ridgeAbsolute the λ added to the diagonal of the centred Σ(x−x̄)(x−x̄)ᵀ
     */
    record Solution(double[] weight, double[] bias, double ridgeAbsolute) {}

    RidgeRegression(int d, NDManager parent) {
        this.d = d;
        this.manager = parent.newSubManager();
        this.sxx = manager.zeros(new Shape(d, d), DataType.FLOAT64);
        this.sxy = manager.zeros(new Shape(d, d), DataType.FLOAT64);
        this.sx = manager.zeros(new Shape(d), DataType.FLOAT64);
        this.sy = manager.zeros(new Shape(d), DataType.FLOAT64);
    }

    long rows() {
        return n;
    }

    /** Adds the rows of {@code x} and {@code y}, both [rows, d] of any float type. */
    void add(NDArray x, NDArray y) {
        long rows = x.getShape().get(0);
        if (rows == 0) {
            return;
        }
        if (x.getShape().get(1) != d || !x.getShape().equals(y.getShape())) {
            throw new IllegalArgumentException("rows of " + x.getShape() + " and " + y.getShape() + " for width " + d);
        }
        try (NDScope scope = new NDScope()) {
            NDArray x64 = x.toType(DataType.FLOAT64, true); // [rows, d]
            NDArray y64 = y.toType(DataType.FLOAT64, true); // [rows, d]
            if (shiftX == null) {
                shiftX = ResidualListener.keep(x64.mean(new int[] {0}), manager);
                shiftY = ResidualListener.keep(y64.mean(new int[] {0}), manager);
            }
            NDArray xc = x64.sub(shiftX); // [rows, d]
            NDArray yc = y64.sub(shiftY); // [rows, d]
            NDArray xt = xc.transpose(); // [d, rows]
            sxx.addi(xt.matMul(xc));
            sxy.addi(xt.matMul(yc));
            sx.addi(xc.sum(new int[] {0}));
            sy.addi(yc.sum(new int[] {0}));
        }
        n += rows;
    }

    /**
     * The ridge solution: A minimises Σ‖y − A·x − b‖² + λ‖A‖²_F with
     * λ = {@code ridge} · tr(C_xx)/d, C_xx the centred Σ(x−x̄)(x−x̄)ᵀ — a ridge relative to the
     * mean variance per dimension, so one value suits layers of any scale; b is not penalised.
     */
    Solution solve(double ridge) throws ModelException {
        if (n < 2) {
            throw new ModelException("Too few tokens to fit a lens (" + n + "); give more text.");
        }
        try (NDScope scope = new NDScope()) { // every temporary is closed at the end
            NDArray mx = sx.div(n); // [d] mean of x̃
            NDArray my = sy.div(n); // [d] mean of ỹ
            NDArray cxx = sxx.sub(outer(mx, mx).mul(n)); // [d, d]
            NDArray cxy = sxy.sub(outer(mx, my).mul(n)); // [d, d] rows: in, columns: out
            double trace = cxx.diagonal().sum().getDouble();
            double lambda = ridge * (trace > 0 ? trace / d : 1);
            NDArray identity = manager.eye(d, d, 0, DataType.FLOAT64); // [d, d]
            NDArray m = cxx.add(identity.mul(lambda)); // [d, d]
            NDArray inverse = m.inverse(); // [d, d]
            NDArray b = inverse.matMul(cxy); // [in, out] = Aᵀ
            b = b.add(inverse.matMul(cxy.sub(m.matMul(b)))); // one step of iterative refinement
            NDArray a = b.transpose(); // [out, in]
            NDArray w = a.sub(identity); // translator form: A − I
            NDArray meanX = shiftX.add(mx); // [d] x̄
            NDArray meanY = shiftY.add(my); // [d] ȳ
            NDArray bias = meanY.sub(a.matMul(meanX.reshape(d, 1)).reshape(d)); // b = ȳ − A·x̄
            double[] weight = w.toDoubleArray();
            double[] intercept = bias.toDoubleArray();
            for (double v : weight) {
                if (!Double.isFinite(v)) {
                    throw new ModelException("The least-squares fit has no finite solution (the residuals of a layer are"
                            + " degenerate); fit with a larger --ridge.");
                }
            }
            return new Solution(weight, intercept, lambda);
        }
    }

    private NDArray outer(NDArray u, NDArray v) {
        return u.reshape(d, 1).matMul(v.reshape(1, d));
    }

    @Override
    public void close() {
        manager.close();
    }
}
