package dev.logitscope.analysis;

import dev.logitscope.prompt.Sentiment;
import java.util.List;

/**
 * The loss method's result — a different method from reading the label word's probability: each
 * class is scored by how well a prompt conditioned on it predicts the review, and the lowest mean
 * loss wins, per layer through each layer's lens.
 *
 * @param method       always {@link #METHOD}
 * @param positive     the positive-class prompt and its losses
 * @param negative     the negative-class prompt and its losses
 * @param layers       per layer 0..L; the last is the model's own output
 * @param overthinking the same overthinking analysis, on this method's predictions
 */
public record LossScore(String method, ClassLoss positive, ClassLoss negative, List<LossLayer> layers,
        Overthinking overthinking) {

    public static final String METHOD = "loss";
    public static final String DESCRIPTION = "loss-based scoring: mean LM loss of the review's tokens under a"
            + " class-conditioned prompt; the class with the lowest loss wins";

    public LossScore {
        layers = List.copyOf(layers);
    }

    public ClassLoss of(Sentiment cls) {
        return cls == Sentiment.POSITIVE ? positive : negative;
    }

    public LossLayer finalLayer() {
        return layers.get(layers.size() - 1);
    }

    /** The model's prediction by this method (the final layer's). */
    public Sentiment prediction() {
        return finalLayer().prediction();
    }
}
