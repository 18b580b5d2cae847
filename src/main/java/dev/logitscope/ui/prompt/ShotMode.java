package dev.logitscope.ui.prompt;

import dev.logitscope.prompt.Shots;

/** The shot toggle: zero-shot, one-shot, or few-shot with the k from the spinner. */
public enum ShotMode {
    ZERO("Zero"),
    ONE("One"),
    FEW("Few");

    private final String label;

    ShotMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public Shots shots(int fewK) {
        return switch (this) {
            case ZERO -> Shots.ZERO;
            case ONE -> Shots.ONE;
            case FEW -> Shots.few(fewK);
        };
    }

    public static ShotMode of(int shots) {
        return shots == 0 ? ZERO : shots == 1 ? ONE : FEW;
    }
}
