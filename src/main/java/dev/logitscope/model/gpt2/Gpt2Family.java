package dev.logitscope.model.gpt2;

import ai.djl.ndarray.NDManager;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.TrainableModel;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFamily;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.WeightStorage;
import java.util.List;

/** GPT-2 and its fine-tunes (distilgpt2, stanford-crfm's): {@code model_type} "gpt2". */
public final class Gpt2Family implements ModelFamily {

    @Override
    public String modelType() {
        return "gpt2";
    }

    @Override
    public List<String> architectures() {
        return List.of("GPT2LMHeadModel", "GPT2Model", "GPT2ForSequenceClassification");
    }

    @Override
    public DecoderModel load(ModelFolder folder, NDManager parent, WeightStorage storage) throws ModelException {
        return Gpt2Model.load(folder, parent, storage);
    }

    @Override
    public TrainableModel loadForFineTuning(ModelFolder folder, ClassLabels labels, int trainableBlocks, long seed,
            NDManager parent) throws ModelException {
        return Gpt2Trainable.load(folder, labels, trainableBlocks, seed, parent);
    }
}
