package dev.logitscope.eval;

/**
 * A mistake in an evaluation's input a user can fix: a malformed dataset line (the message names
 * file and line), an unknown format, a run folder that does not match the options. The message
 * says what to do.
 */
public class EvalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EvalException(String message) {
        super(message);
    }

    public EvalException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Prefixes a message with where it happened, e.g. {@code reviews.csv:7: }. */
    static EvalException at(String source, int line, String message) {
        return new EvalException(source + ":" + line + ": " + message);
    }
}
