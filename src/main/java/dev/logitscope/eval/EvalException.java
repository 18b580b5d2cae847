package dev.logitscope.eval;

/**
 * A mistake in an evaluation's input a user can fix: a malformed dataset line (the message names
 * file and line), an unknown format, a run folder that does not match the options. The message
 * says what to do.
 */
public class EvalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The same advice in the app's words (its buttons and fields, no options), or null to derive it. */
    private final String appMessage;

    public EvalException(String message) {
        this(message, (String) null);
    }

    /**
     * @param message    for the command line: names options such as {@code --resume}
     * @param appMessage for the app's Evaluate tab: names its buttons and fields instead
     */
    public EvalException(String message, String appMessage) {
        super(message);
        this.appMessage = appMessage;
    }

    /** The message in the app's words when the thrower gave one, else null. */
    public String appMessage() {
        return appMessage;
    }

    public EvalException(String message, Throwable cause) {
        super(message, cause);
        this.appMessage = null;
    }

    /** Prefixes a message with where it happened, e.g. {@code reviews.csv:7: }. */
    static EvalException at(String source, int line, String message) {
        return new EvalException(source + ":" + line + ": " + message);
    }
}
