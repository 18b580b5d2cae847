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
}
