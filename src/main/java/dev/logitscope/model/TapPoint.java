package dev.logitscope.model;

/**
 * A place where the residual stream is observed. Layer numbering: 0 = the embeddings (token +
 * position), i = after block i, L = after the last block. A mid-block tap sits after block i's
 * attention and before its MLP; it is named "i-0.5" and has no integer of its own.
 *
 * @param layer      0..L
 * @param midBlock   true for the tap inside block {@code layer} (layer ≥ 1)
 */
public record TapPoint(int layer, boolean midBlock) {

    public TapPoint {
        if (layer < 0 || (midBlock && layer < 1)) {
            throw new IllegalArgumentException("no tap point " + layer + (midBlock ? "-0.5" : ""));
        }
    }

    public static TapPoint embeddings() {
        return new TapPoint(0, false);
    }

    public static TapPoint afterBlock(int block) {
        return new TapPoint(block, false);
    }

    public static TapPoint afterAttention(int block) {
        return new TapPoint(block, true);
    }

    /** "embed", "block 3", or "2.5" for the mid-block tap of block 3. */
    public String name() {
        if (midBlock) {
            return (layer - 1) + ".5";
        }
        return layer == 0 ? "embed" : "block " + layer;
    }

    /** The position on a layer axis: layer, or layer − 0.5 for a mid-block tap. */
    public double depth() {
        return midBlock ? layer - 0.5 : layer;
    }
}
