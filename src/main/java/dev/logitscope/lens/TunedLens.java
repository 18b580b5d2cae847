package dev.logitscope.lens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.logitscope.model.TapPoint;

/**
 * The tuned lens (Belrose et al. 2023): hidden state i (0 = embeddings … L−1) is read as
 * {@code h + W_i h + b_i} — tuned-lens's {@code transform_hidden}, {@code h + translator(h)} with an
 * {@code nn.Linear} translator — before the model's own final norm and unembedding. The last
 * block's output is the model's output and is read as it is. Mid-block taps have no translator and
 * are not covered.
 *
 * <p>The translators live as NDArrays in a manager of the model thread (created once, so a long
 * grid does not copy them per chunk); {@link #close} frees them on that thread.
 */
public final class TunedLens implements LensTransform, AutoCloseable {
    private final String name;
    private final int layers;
    private final NDManager manager;
    /** Per hidden state, Wᵀ [in, out] so that a row h maps to h·Wᵀ; null where not covered. */
    private final NDArray[] weightT;
    private final NDArray[] bias;

    /** Puts {@code file}'s translators into a sub-manager of {@code parent}; call on the model thread. */
    public TunedLens(TunedLensFile file, NDManager parent) {
        this(file, parent, "tuned lens (" + file.folder() + ")");
    }

    /** As {@link #TunedLens(TunedLensFile, NDManager)}, known to users as {@code name} (a lens of the same form made otherwise). */
    public TunedLens(TunedLensFile file, NDManager parent, String name) {
        this.name = name;
        this.layers = file.layers();
        this.manager = parent.newSubManager();
        this.weightT = new NDArray[layers];
        this.bias = new NDArray[layers];
        int d = file.dModel();
        for (int i = 0; i < layers; i++) {
            if (file.weights()[i] != null) {
                // nn.Linear stores W as [out, in]; y = h·Wᵀ + b.
                weightT[i] = manager.create(file.weights()[i], new Shape(d, d)).transpose().duplicate();
            }
            if (file.biases()[i] != null) {
                bias[i] = manager.create(file.biases()[i], new Shape(d));
            }
        }
    }

    @Override
    public boolean covers(TapPoint tap) {
        return !tap.midBlock() && (tap.layer() == layers || (tap.layer() < layers && weightT[tap.layer()] != null));
    }

    @Override
    public NDArray apply(TapPoint tap, NDArray residual) {
        int i = tap.layer();
        if (i == layers) {
            return residual; // the model's output: no translator
        }
        NDArray h = residual.getDataType() == DataType.FLOAT32 ? residual : residual.toType(DataType.FLOAT32, false);
        NDArray translated = h.matMul(weightT[i]);
        if (bias[i] != null) {
            translated = translated.add(bias[i]);
        }
        NDArray out = h.add(translated); // residual form: h + translator(h)
        return out.getDataType() == residual.getDataType() ? out : out.toType(residual.getDataType(), false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        manager.close();
    }
}
