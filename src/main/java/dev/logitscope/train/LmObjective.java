package dev.logitscope.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.TrainableModel;
import java.util.ArrayList;
import java.util.List;

/**
 * transformers' GPT2LMHeadModel loss: the mean over the batch's target tokens of
 * −log softmax(lm_head(ln_f(h)))[next token], where position i predicts token i + 1 and only the
 * tokens {@link LmData#targets} marks count (all of them, or the label word's).
 */
public record LmObjective(LmData data) implements Objective {
    /** Sequences run at once without gradients. */
    private static final int EVAL_BATCH = 16;

    @Override
    public int size() {
        return data.sequences().length;
    }

    @Override
    public long tokens() {
        long n = 0;
        for (int[] s : data.sequences()) {
            n += s.length;
        }
        return n;
    }

    @Override
    public NDArray loss(TrainableModel model, List<Integer> items, Dropout dropout, NDManager scratch) throws ModelException {
        int[][] sequences = new int[items.size()][];
        boolean[][] targets = new boolean[items.size()][];
        for (int i = 0; i < items.size(); i++) {
            sequences[i] = data.sequences()[items.get(i)];
            targets[i] = data.targets()[items.get(i)];
        }
        int positions = model.inference().shape().nPositions();
        for (int[] sequence : sequences) {
            if (sequence.length > positions) {
                throw new ModelException("A training sequence has " + sequence.length + " tokens but the model reads at most "
                        + positions + "; give --block-size " + positions + " or less (with --block-size row, every review"
                        + " formatted must fit).");
            }
        }
        int[][] rowsAndIds = predictions(sequences, targets);
        NDArray logits = model.lmLogits(sequences, rowsAndIds[0], dropout, scratch); // [R, V]
        return crossEntropy(logits, rowsAndIds[1], scratch);
    }

    /** {flat rows that predict a target, the target ids}: row p of a sequence predicts its token p + 1. */
    static int[][] predictions(int[][] sequences, boolean[][] targets) {
        List<Integer> rows = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        int offset = 0;
        for (int s = 0; s < sequences.length; s++) {
            for (int p = 0; p + 1 < sequences[s].length; p++) {
                if (targets[s][p + 1]) {
                    rows.add(offset + p);
                    ids.add(sequences[s][p + 1]);
                }
            }
            offset += sequences[s].length;
        }
        return new int[][] {rows.stream().mapToInt(Integer::intValue).toArray(), ids.stream().mapToInt(Integer::intValue).toArray()};
    }

    /** Mean of −log softmax(logits[r])[ids[r]] over the rows of [R, V] logits. */
    static NDArray crossEntropy(NDArray logits, int[] ids, NDManager manager) {
        // The index is a libtorch-owned copy: gather's backward keeps it after this frame.
        NDArray index = manager.create(ids).toType(DataType.INT64, true).reshape(ids.length, 1); // [R, 1]
        return logits.logSoftmax(1).gather(index, 1).mean().neg();
    }

    /**
     * {label accuracy, mean target-token loss}: the loss over every target of every sequence; the
     * accuracy over the examples, each read at the token before its label, where the gold class's
     * first label token must outscore every other class's (ties to the lower class, as argmax).
     */
    @Override
    public double[] evaluate(TrainableModel model, NDManager root) throws ModelException {
        double lossSum = 0;
        long count = 0;
        int[][] all = data.sequences();
        for (int from = 0; from < all.length; from += EVAL_BATCH) {
            int to = Math.min(all.length, from + EVAL_BATCH);
            int[][] sequences = java.util.Arrays.copyOfRange(all, from, to);
            boolean[][] targets = java.util.Arrays.copyOfRange(data.targets(), from, to);
            int[][] rowsAndIds = predictions(sequences, targets);
            try (NDManager scratch = root.newSubManager()) {
                NDArray logits = model.lmLogits(sequences, rowsAndIds[0], scratch); // [R, V]
                lossSum += crossEntropy(logits, rowsAndIds[1], scratch).getFloat() * (double) rowsAndIds[0].length;
            }
            count += rowsAndIds[0].length;
        }
        int correct = 0;
        int[][] examples = data.examples();
        int[] classes = data.classFirstIds();
        int positions = model.inference().shape().nPositions();
        for (int from = 0; from < examples.length; from += EVAL_BATCH) {
            int to = Math.min(examples.length, from + EVAL_BATCH);
            int[][] sequences = new int[to - from][];
            int[] rows = new int[to - from];
            int offset = 0;
            for (int i = 0; i < rows.length; i++) {
                // A review longer than the context is read by its last positions up to its label.
                int end = data.labelStart()[from + i];
                int start = Math.max(0, end - positions);
                sequences[i] = java.util.Arrays.copyOfRange(examples[from + i], start, end);
                rows[i] = offset + sequences[i].length - 1;
                offset += sequences[i].length;
            }
            float[] logits;
            long vocab;
            try (NDManager scratch = root.newSubManager()) {
                NDArray out = model.lmLogits(sequences, rows, scratch); // [B, V]
                vocab = out.getShape().get(1);
                logits = out.toFloatArray();
            }
            for (int i = 0; i < rows.length; i++) {
                int best = 0;
                for (int k = 1; k < classes.length; k++) {
                    if (logits[(int) (i * vocab + classes[k])] > logits[(int) (i * vocab + classes[best])]) {
                        best = k;
                    }
                }
                correct += best == data.gold()[from + i] ? 1 : 0;
            }
        }
        return new double[] {examples.length == 0 ? Double.NaN : (double) correct / examples.length,
                count == 0 ? Double.NaN : lossSum / count};
    }
}
