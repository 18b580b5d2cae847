package dev.logitscope.lens;

import ai.djl.ndarray.NDArray;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.TapPoint;

/**
 * The classifier-head lens as a {@link LensTransform}: every tap read as it is, through the model's
 * final norm and its {@code score} head ({@link DecoderModel#classifierReadout}) instead of the
 * unembedding, so the lens's "vocabulary" is the classes (in id2label order) and every statistic
 * the logit lens reports — probabilities of the tracked classes, ranks, entropy, KL to the final
 * layer — is over them. The same numbers as {@link ClassifierLens}.
 */
final class ClassifierHead implements LensTransform {
    static final String NAME = "classifier-head lens";
    static final ClassifierHead INSTANCE = new ClassifierHead();

    private ClassifierHead() {}

    @Override
    public boolean covers(TapPoint tap) {
        return true;
    }

    @Override
    public NDArray apply(TapPoint tap, NDArray residual) {
        return residual;
    }

    @Override
    public NDArray readout(DecoderModel model, NDArray rows) {
        return model.classifierReadout(rows);
    }

    @Override
    public String name() {
        return NAME;
    }
}
