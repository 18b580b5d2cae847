package dev.logitscope.model;

/**
 * A model that cannot be loaded or run: a missing or corrupt file, a checkpoint that does not match
 * its config, a prompt longer than the context. The message names the file or input and says what
 * to do; it is shown to users as is.
 */
public class ModelException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
