package dev.logitscope.eval;

import java.util.Optional;

/**
 * A mistake in an evaluation's input a user can fix: a malformed dataset line (the message names
 * file and line), an unknown format, a run folder that does not match the options. It carries what
 * went wrong and which input it is about, written against {@link EvalWords}, so each surface says
 * it in its own words ({@link #message(EvalWords)}); {@link #getMessage()} is the command line's.
 */
public class EvalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A message written against a surface's words. */
    @FunctionalInterface
    public interface Wording {
        String in(EvalWords words);
    }

    private final transient EvalInput input;
    private final transient Wording wording;

    /** A message that names no input (the same on every surface). */
    public EvalException(String message) {
        this(null, words -> message, null);
    }

    public EvalException(String message, Throwable cause) {
        this(null, words -> message, cause);
    }

    /**
     * @param input   the input the user should change
     * @param wording what went wrong and what to do, in the words of whoever renders it
     */
    public EvalException(EvalInput input, Wording wording) {
        this(input, wording, null);
    }

    private EvalException(EvalInput input, Wording wording, Throwable cause) {
        super(wording.in(EvalWords.OPTIONS), cause);
        this.input = input;
        this.wording = wording;
    }

    /** The input the error is about, when it is about one. */
    public Optional<EvalInput> input() {
        return Optional.ofNullable(input);
    }

    /** The message in a surface's words. */
    public String message(EvalWords words) {
        return wording.in(words);
    }

    /** Prefixes a message with where it happened, e.g. {@code reviews.csv:7: }. */
    static EvalException at(String source, int line, String message) {
        return new EvalException(source + ":" + line + ": " + message);
    }

    /** As {@link #at(String, int, String)}, about an input. */
    static EvalException at(String source, int line, EvalInput input, Wording wording) {
        return new EvalException(input, words -> source + ":" + line + ": " + wording.in(words));
    }
}
