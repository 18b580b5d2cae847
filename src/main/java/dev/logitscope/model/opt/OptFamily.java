package dev.logitscope.model.opt;

import ai.djl.ndarray.NDManager;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFamily;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.TrainableModel;
import dev.logitscope.model.WeightStorage;
import java.util.List;

/** Meta's OPT (facebook/opt-125m … opt-2.7b) and its fine-tunes: {@code model_type} "opt". */
public final class OptFamily implements ModelFamily {

    @Override
    public String modelType() {
        return "opt";
    }

    @Override
    public List<String> architectures() {
        return List.of("OPTForCausalLM", "OPTModel", "OPTForSequenceClassification");
    }

    @Override
    public DecoderModel load(ModelFolder folder, NDManager parent, WeightStorage storage) throws ModelException {
        return OptModel.load(folder, parent, storage);
    }

    @Override
    public TrainableModel loadForFineTuning(ModelFolder folder, ClassLabels labels, int trainableBlocks, long seed,
            NDManager parent) throws ModelException {
        return OptTrainable.load(folder, labels, trainableBlocks, seed, parent);
    }
}
