package dev.logitscope.model.gptneo;

import ai.djl.ndarray.NDManager;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFamily;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.TrainableModel;
import dev.logitscope.model.WeightStorage;
import java.util.List;

/** EleutherAI's GPT-Neo (gpt-neo-125m, 1.3B, 2.7B) and its fine-tunes: {@code model_type} "gpt_neo". */
public final class GptNeoFamily implements ModelFamily {

    @Override
    public String modelType() {
        return GptNeoModel.FAMILY;
    }

    @Override
    public List<String> architectures() {
        return List.of("GPTNeoForCausalLM", "GPTNeoModel", "GPTNeoForSequenceClassification");
    }

    @Override
    public DecoderModel load(ModelFolder folder, NDManager parent, WeightStorage storage) throws ModelException {
        return GptNeoModel.load(folder, parent, storage);
    }

    @Override
    public TrainableModel loadForFineTuning(ModelFolder folder, ClassLabels labels, int trainableBlocks, long seed,
            NDManager parent) throws ModelException {
        return GptNeoTrainable.load(folder, labels, trainableBlocks, seed, parent);
    }
}
