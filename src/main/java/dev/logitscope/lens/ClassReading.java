package dev.logitscope.lens;

import java.util.List;

/**
 * The classifier-head lens of one layer at the last position: the probability of each class of
 * the model's {@code score} head (in id2label order) when this layer's residual is read through
 * {@code ln_f} (with the layer's own statistics) and {@code score}, then a softmax over the classes.
 */
public record ClassReading(int layer, String name, List<String> labels, double[] probabilities) {

    public ClassReading {
        labels = List.copyOf(labels);
        probabilities = probabilities.clone();
    }

    @Override
    public double[] probabilities() {
        return probabilities.clone();
    }

    /** The most probable class's index (the lower one on a tie). */
    public int prediction() {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return best;
    }
}
