package dev.logitscope.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.TrainableModel;
import java.util.List;

/** What a run minimises over which items: the classifier's cross-entropy, or the LM's next-token loss. */
public interface Objective {
    /** Items one epoch visits (examples, or LM blocks). */
    int size();

    /** Tokens of all items together (the record's data summary). */
    long tokens();

    /**
     * The mean loss [scalar] over {@code items} in a forward pass with {@code dropout} (the training
     * step's); with grad mode on it carries the graph to the parameters.
     */
    NDArray loss(TrainableModel model, List<Integer> items, Dropout dropout, NDManager scratch) throws ModelException;

    /** {@link #loss(TrainableModel, List, Dropout, NDManager)} without dropout. */
    default NDArray loss(TrainableModel model, List<Integer> items, NDManager scratch) throws ModelException {
        return loss(model, items, Dropout.NONE, scratch);
    }

    /** {accuracy (NaN where the objective has none), mean loss} over every item, without gradients. */
    double[] evaluate(TrainableModel model, NDManager root) throws ModelException;
}
