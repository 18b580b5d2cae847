package dev.logitscope.hub;

import java.io.IOException;

/**
 * A model that cannot be found, fetched or verified. The message is written for the user: it says
 * what went wrong and what to do, so it can be shown as is (one line in the CLI, a banner in the
 * app) without a stack trace.
 */
public class HubException extends IOException {
    private static final long serialVersionUID = 1L;

    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
