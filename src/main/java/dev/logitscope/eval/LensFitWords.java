package dev.logitscope.eval;

/**
 * How a surface speaks of a lens fit's inputs: the command line says {@code --max-tokens}, the
 * dialog "Token budget". A {@link LensFitException} is written once against these words.
 */
public interface LensFitWords {
    /** The input's name: "--ridge" / "Ridge λ". */
    String name(LensFitInput input);

    /** The words for a dataset's own errors (a bad line, an unknown format). */
    EvalWords dataset();

    /** The command line's words: {@code fit-lens}'s options. */
    LensFitWords OPTIONS = new LensFitWords() {
        @Override
        public String name(LensFitInput input) {
            return input.option();
        }

        @Override
        public EvalWords dataset() {
            return EvalWords.OPTIONS;
        }
    };
}
