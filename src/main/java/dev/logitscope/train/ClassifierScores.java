package dev.logitscope.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.TrainableModel;

/** Accuracy and mean cross-entropy of a classifier on labelled examples (grad mode as the thread has it: off). */
public final class ClassifierScores {
    private ClassifierScores() {}

    /** {accuracy, mean loss}; ties go to the lower class index, as argmax does. */
    public static double[] of(TrainableModel model, Examples examples, NDManager root, int batch) throws ModelException {
        int correct = 0;
        double loss = 0;
        for (int from = 0; from < examples.size(); from += batch) {
            int to = Math.min(examples.size(), from + batch);
            int[][] sequences = new int[to - from][];
            System.arraycopy(examples.ids(), from, sequences, 0, to - from);
            float[] logits;
            int k;
            try (NDManager scratch = root.newSubManager()) {
                NDArray out = model.classifierLogits(sequences, scratch); // [B, K]
                k = (int) out.getShape().get(1);
                logits = out.toFloatArray();
            }
            for (int i = 0; i < to - from; i++) {
                int label = examples.labels()[from + i];
                int best = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, logits[i * k + j]);
                    if (logits[i * k + j] > logits[i * k + best]) {
                        best = j;
                    }
                }
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += Math.exp(logits[i * k + j] - max);
                }
                loss += Math.log(sum) + max - logits[i * k + label];
                if (best == label) {
                    correct++;
                }
            }
        }
        return new double[] {(double) correct / examples.size(), loss / examples.size()};
    }
}
