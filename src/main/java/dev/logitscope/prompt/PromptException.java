package dev.logitscope.prompt;

/**
 * A prompt that cannot be built as asked: a malformed template or demonstration file, label words
 * the lens cannot tell apart, or a review too long for the model. The message says what to fix.
 */
public class PromptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PromptException(String message) {
        super(message);
    }

    public PromptException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Prefixes a message with where it happened, e.g. {@code my.template:7: }. */
    static PromptException at(String source, int line, String message) {
        return new PromptException(source + ":" + line + ": " + message);
    }
}
