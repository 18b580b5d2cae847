package dev.logitscope.testing.toy;

import ai.djl.ndarray.NDManager;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFamily;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.WeightStorage;
import java.util.List;

/**
 * A second decoder family that exists only in the tests, registered like any other through
 * src/test/resources/META-INF/services: the proof that a family plugs in without engine changes.
 */
public final class ToyFamily implements ModelFamily {
    public static final String MODEL_TYPE = "logitscope_toy";

    @Override
    public String modelType() {
        return MODEL_TYPE;
    }

    @Override
    public List<String> architectures() {
        return List.of("ToyForCausalLM");
    }

    @Override
    public DecoderModel load(ModelFolder folder, NDManager parent, WeightStorage storage) throws ModelException {
        return ToyModel.load(folder, parent);
    }
}
