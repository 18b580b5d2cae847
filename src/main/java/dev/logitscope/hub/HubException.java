package dev.logitscope.hub;

import java.io.IOException;

/**
 * A model that cannot be found, fetched or verified. The message is written for the user: it says
 * what went wrong and what to do, so it can be shown as is (one line in the CLI, a banner in the
 * app) without a stack trace.
 */
public class HubException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The message with its advice left to the surface's words. */
    @FunctionalInterface
    public interface Wording {
        String in(HubWords words);
    }

    /** Null when the message needs no surface's words (then it is the same everywhere). */
    private final transient Wording wording;

    public HubException(String message) {
        super(message);
        this.wording = null;
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
        this.wording = null;
    }

    /** A message whose advice names commands or controls: {@link #getMessage()} is the command line's. */
    public HubException(Wording wording, Throwable cause) {
        super(wording.in(HubWords.COMMAND_LINE), cause);
        this.wording = wording;
    }

    /** The message in {@code words}: the app shows its controls where the command line names commands. */
    public String message(HubWords words) {
        return wording == null ? getMessage() : wording.in(words);
    }
}
