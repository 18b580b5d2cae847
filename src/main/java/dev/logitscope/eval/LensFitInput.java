package dev.logitscope.eval;

/**
 * The inputs of a lens fit ({@code fit-lens}, the app's "Fit a lens…" dialog) a user error can be
 * about. Each surface names them in its own words ({@link LensFitWords}).
 */
public enum LensFitInput {
    DATA("--data"),
    OUT("--out"),
    MAX_TOKENS("--max-tokens"),
    RIDGE("--ridge"),
    HELD_OUT("--held-out"),
    REFINE_STEPS("--refine-steps"),
    REFINE_LR("--refine-lr");

    private final String option;

    LensFitInput(String option) {
        this.option = option;
    }

    /** The {@code fit-lens} option that sets it. */
    public String option() {
        return option;
    }
}
