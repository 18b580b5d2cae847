package dev.logitscope.hub;

/**
 * The repository and revision exist but lack one file ({@code X-Error-Code: EntryNotFound}). Final
 * for a file that must be there; for one of several alternatives it means "try the next".
 */
public final class MissingEntryException extends HubException {
    private static final long serialVersionUID = 1L;

    public MissingEntryException(String message) {
        super(message);
    }
}
