package dev.logitscope.model;

import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * One architecture family: how to recognise its {@code config.json} and how to load it. Families
 * register through {@link java.util.ServiceLoader}: one line naming the class in
 * {@code META-INF/services/dev.logitscope.model.ModelFamily} (GPT-2's is in src/main/resources).
 */
public interface ModelFamily {

    /** config.json's {@code model_type}, e.g. {@code gpt2}. */
    String modelType();

    /** config.json's {@code architectures} entries this family loads, e.g. {@code GPT2LMHeadModel}. */
    List<String> architectures();

    /**
     * Loads the model in {@code folder} with its weights held as {@code storage} says (every shard
     * alike). Runs on the model thread; the model owns a sub-manager of {@code parent}.
     */
    DecoderModel load(ModelFolder folder, NDManager parent, WeightStorage storage) throws ModelException;

    /**
     * Copies the model in {@code folder} for fine-tuning with a sequence-classification head of
     * {@code labels} (the checkpoint's own head when it has one, else a new one drawn with
     * {@code seed}); the last {@code trainableBlocks} blocks, the final norm and the head are
     * trained (−1: everything). Families that cannot be fine-tuned say so.
     */
    default TrainableModel loadForFineTuning(ModelFolder folder, ClassLabels labels, int trainableBlocks, long seed,
            NDManager parent) throws ModelException {
        throw new ModelException("Fine-tuning " + modelType() + " models is not supported; fine-tune a GPT-2, GPT-Neo or OPT model.");
    }
}
