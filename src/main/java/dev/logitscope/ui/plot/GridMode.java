package dev.logitscope.ui.plot;

/** What colours the token × layer grid. */
public enum GridMode {
    PROBABILITY("top-1 probability"),
    ENTROPY("entropy"),
    LABEL_RANK("rank of the positive label"),
    KL_TO_FINAL("KL to the final layer");

    private final String label;

    GridMode(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
