package dev.logitscope.plot;

/** Where the embedding layer goes in a layer × something picture. */
public enum RowOrder {
    /** Embeddings in the first row, the final layer last: reading down follows the forward pass. */
    EMBED_TOP,
    /** The final layer in the first row, as in the original logit-lens pictures. */
    EMBED_BOTTOM;

    /** The data row shown at display position {@code display} among {@code n} rows. */
    int dataRow(int display, int n) {
        return this == EMBED_TOP ? display : n - 1 - display;
    }

    /** The display position of data row {@code row} (the same mapping: it is its own inverse). */
    int displayRow(int row, int n) {
        return dataRow(row, n);
    }
}
