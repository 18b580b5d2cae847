package dev.logitscope.lens;

import java.util.List;

/**
 * The lens of one layer (0 = embeddings, i = after block i; a mid-block tap has {@code midBlock}
 * set and sits at depth i − 0.5) at the positions that were read, in prompt order.
 */
public record LayerReading(int layer, boolean midBlock, String name, List<PositionReading> positions) {

    public LayerReading {
        positions = List.copyOf(positions);
    }

    /** The reading at the last position read (the one that predicts the label). */
    public PositionReading last() {
        return positions.get(positions.size() - 1);
    }

    public double depth() {
        return midBlock ? layer - 0.5 : layer;
    }
}
