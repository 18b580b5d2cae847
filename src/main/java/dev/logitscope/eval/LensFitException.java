package dev.logitscope.eval;

import java.util.Optional;

/**
 * A mistake in a lens fit's input a user can fix, with the input it is about, written against
 * {@link LensFitWords} so each surface says it in its own words; {@link #getMessage()} is the
 * command line's.
 */
public class LensFitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A message written against a surface's words. */
    @FunctionalInterface
    public interface Wording {
        String in(LensFitWords words);
    }

    private final transient LensFitInput input;
    private final transient Wording wording;

    public LensFitException(LensFitInput input, Wording wording) {
        super(wording.in(LensFitWords.OPTIONS));
        this.input = input;
        this.wording = wording;
    }

    /** The input the error is about, when it is about one. */
    public Optional<LensFitInput> input() {
        return Optional.ofNullable(input);
    }

    /** The message in a surface's words. */
    public String message(LensFitWords words) {
        return wording.in(words);
    }
}
