package dev.logitscope.analysis;

import dev.logitscope.prompt.Sentiment;
import java.util.List;
import java.util.Objects;

/**
 * The loss method's result — a different method from reading the label word's probability: each
 * class is scored by the mean LM loss of a prompt conditioned on it (the whole prompt, or the
 * review's tokens: {@link LossSpan}), and the lowest mean loss wins, per layer through each layer's lens.
 *
 * @param method       always {@link #METHOD}
 * @param span         which tokens of each prompt were scored
 * @param positive     the positive-class prompt and its losses
 * @param negative     the negative-class prompt and its losses
 * @param layers       per layer 0..L; the last is the model's own output
 * @param overthinking the same overthinking analysis, on this method's predictions
 */
public record LossScore(String method, LossSpan span, ClassLoss positive, ClassLoss negative, List<LossLayer> layers,
        Overthinking overthinking) {

    public static final String METHOD = "loss";

    public LossScore {
        Objects.requireNonNull(span, "span");
        layers = List.copyOf(layers);
    }

    /** The method in words, with the span scored. */
    public String description() {
        return "loss-based scoring: mean LM loss (nats per token) of " + span.description()
                + " under a class-conditioned prompt; the class with the lowest loss wins";
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
