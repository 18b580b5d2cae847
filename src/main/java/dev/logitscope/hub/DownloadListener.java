package dev.logitscope.hub;

/**
 * Receives download progress, at most about ten times a second per file and once when a file is
 * complete. Called on the downloading thread: hand the value over to a UI thread if needed.
 */
@FunctionalInterface
public interface DownloadListener {
    void onProgress(DownloadProgress progress);

    /**
     * Something the user should know that is not an error, e.g. that the Hub could not be asked
     * and the cached copy is used. It is logged as a warning as well; override to show it.
     */
    default void onNotice(String message) {
    }

    DownloadListener NONE = p -> { };
}
