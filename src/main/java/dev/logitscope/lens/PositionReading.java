package dev.logitscope.lens;

import java.util.List;

/**
 * What one layer's lens says at one prompt position.
 *
 * @param position     index of the prompt token whose next token is predicted
 * @param trackedProbs full-vocabulary probability of each tracked token id (e.g. the label words)
 * @param trackedRanks rank of each tracked token in the distribution (0 = most likely)
 * @param entropy      entropy of the distribution, in nats
 * @param klToFinal    KL(final ‖ this layer) in nats: how far this layer is from the model's output
 * @param top          the most likely tokens, best first
 * @param nextTokenLogProb log-probability (nats) of the prompt's actual next token, or NaN when
 *                     not requested or at the last position
 */
public record PositionReading(int position, double[] trackedProbs, int[] trackedRanks, double entropy, double klToFinal,
        List<TopToken> top, double nextTokenLogProb) {

    public PositionReading {
        top = List.copyOf(top);
    }
}
