package dev.logitscope.hub;

/**
 * The caller cancelled a download. The partial file stays in the cache, so the next attempt
 * resumes where this one stopped.
 */
public class DownloadCancelledException extends HubException {
    private static final long serialVersionUID = 1L;

    public DownloadCancelledException(String file) {
        super("download of " + file + " cancelled; run the command again to resume it");
    }
}
