package dev.logitscope.lens;

import java.util.List;

/**
 * The token sequences a lens is fitted on ({@code train}) and judged on ({@code heldOut}): each
 * sequence is one document as the model reads it (its BOS included when the tokenizer adds one),
 * at most the model's context long.
 */
public record FitData(List<int[]> train, List<int[]> heldOut) {

    public FitData {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }

    public long trainTokens() {
        return train.stream().mapToLong(ids -> ids.length).sum();
    }

    public long heldOutTokens() {
        return heldOut.stream().mapToLong(ids -> ids.length).sum();
    }
}
