package dev.logitscope.lens;

import ai.djl.ndarray.NDArray;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.TapPoint;

/**
 * What a lens does to a tap's residual before the model's own final norm and unembedding read
 * it ({@link dev.logitscope.model.DecoderModel#readout}). The plain logit lens is
 * {@link #IDENTITY}; a learned lens (a tuned lens's per-layer affine map) covers the taps it was
 * trained for, and a tap it does not cover is refused, never read plainly.
 */
public interface LensTransform {

    /** The logit lens: every tap read as it is. */
    LensTransform IDENTITY = new LensTransform() {
        @Override
        public boolean covers(TapPoint tap) {
            return true;
        }

        @Override
        public NDArray apply(TapPoint tap, NDArray residual) {
            return residual;
        }

        @Override
        public String name() {
            return "logit lens";
        }
    };

    /** Whether this lens has a transform for {@code tap}. */
    boolean covers(TapPoint tap);

    /**
     * The transformed residual, [N, C] → [N, C], in the manager of {@code residual}; only called
     * for taps it {@link #covers}. Runs on the model thread.
     */
    NDArray apply(TapPoint tap, NDArray residual);

    /** How users know this lens, for messages. */
    String name();

    /**
     * What reads the transformed rows [N, C] → [N, V]: the model's own final norm and unembedding
     * ({@link DecoderModel#readout}); the classifier-head lens reads its {@code score} head instead.
     */
    default NDArray readout(DecoderModel model, NDArray rows) {
        return model.readout(rows);
    }
}
