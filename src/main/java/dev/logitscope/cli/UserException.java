package dev.logitscope.cli;

/** A mistake in the command's input (a bad option value, an unwritable path), reported in one line. */
public class UserException extends Exception {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message);
    }
}
