package dev.logitscope.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.TrainableModel;
import java.util.List;

/** transformers' GPT2ForSequenceClassification loss: cross-entropy of score(ln_f(last token's residual)). */
public record ClassifierObjective(Examples examples) implements Objective {
    /** Dev examples run at once (no gradient, so only activations count). */
    private static final int EVAL_BATCH = 64;

    @Override
    public int size() {
        return examples.size();
    }

    @Override
    public long tokens() {
        return examples.tokens();
    }

    @Override
    public NDArray loss(TrainableModel model, List<Integer> items, Dropout dropout, NDManager scratch) throws ModelException {
        int[][] sequences = new int[items.size()][];
        int[] labels = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            sequences[i] = examples.ids()[items.get(i)];
            labels[i] = examples.labels()[items.get(i)];
        }
        return Trainer.crossEntropy(model.classifierLogits(sequences, dropout, scratch), labels, scratch); // scalar
    }

    @Override
    public double[] evaluate(TrainableModel model, NDManager root) throws ModelException {
        return ClassifierScores.of(model, examples, root, EVAL_BATCH);
    }
}
