package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model being fine-tuned, with a sequence-classification head or as a causal LM. Its forward pass is the
 * inference model's own ({@link #inference()} reads the same arrays through the same blocks), so
 * the lens of a fine-tuned model sees exactly what was trained. Model thread only.
 */
public interface TrainableModel extends AutoCloseable {

    /** Every weight, in the order transformers' state dict lists them. */
    List<TrainableParameter> parameters();

    /**
     * The classifier's logits [B, num_labels] of each sequence: its last token's final-norm output
     * through {@code score}. The sequences run side by side in one pass, each seeing only itself
     * (positions from 0). With grad mode on, the result carries the graph back to the parameters.
     * {@code dropout} is the training pass's, {@link Dropout#NONE} to evaluate.
     */
    NDArray classifierLogits(int[][] sequences, Dropout dropout, NDManager owner) throws ModelException;

    /** {@link #classifierLogits(int[][], Dropout, NDManager)} without dropout (evaluation mode). */
    default NDArray classifierLogits(int[][] sequences, NDManager owner) throws ModelException {
        return classifierLogits(sequences, Dropout.NONE, owner);
    }

    /**
     * The next-token logits [R, vocab] at the flat positions {@code rows} of the sequences laid
     * side by side as in {@link #classifierLogits} (row r of sequence s is the sum of the earlier
     * sequences' lengths plus r): the final norm then the unembedding, the family's causal-LM head.
     * {@code dropout} as in {@link #classifierLogits(int[][], Dropout, NDManager)}.
     */
    NDArray lmLogits(int[][] sequences, int[] rows, Dropout dropout, NDManager owner) throws ModelException;

    /** {@link #lmLogits(int[][], int[], Dropout, NDManager)} without dropout (evaluation mode). */
    default NDArray lmLogits(int[][] sequences, int[] rows, NDManager owner) throws ModelException {
        return lmLogits(sequences, rows, Dropout.NONE, owner);
    }

    /** The dropout probabilities the model's config.json sets, as transformers trains it ({@code model.train()}). */
    DropoutRates configDropout();

    /** The classifier's classes; null for a causal LM (no {@code score} head). */
    ClassLabels labels();

    /** The model as the lens reads it, over the same arrays (not a copy). */
    DecoderModel inference();

    /** config.json as transformers would write it for this model (architectures, id2label, label2id, pad_token_id). */
    JsonObject config();

    /** Writes the weights as {@code model.safetensors} with transformers' tensor names. */
    void writeWeights(Path file) throws IOException;

    @Override
    void close();
}
