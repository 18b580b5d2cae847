package dev.logitscope.ui.lens;

import dev.logitscope.eval.EvalWords;
import dev.logitscope.eval.LensFitInput;
import dev.logitscope.eval.LensFitWords;

/** The dialog's words for a lens fit's inputs: its field labels, in quotes. */
final class FitLensWords implements LensFitWords {
    static final FitLensWords INSTANCE = new FitLensWords();

    private FitLensWords() {}

    static String label(LensFitInput input) {
        return switch (input) {
            case DATA -> "Data file";
            case OUT -> "Output folder";
            case MAX_TOKENS -> "Token budget";
            case RIDGE -> "Ridge λ";
            case HELD_OUT -> "Held out";
            case REFINE_STEPS -> "Refine steps";
            case REFINE_LR -> "Refine learning rate";
        };
    }

    @Override
    public String name(LensFitInput input) {
        return "“" + label(input) + "”";
    }

    @Override
    public EvalWords dataset() {
        return EvalWords.PLAIN;
    }
}
