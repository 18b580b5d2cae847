package dev.logitscope.hub;

/**
 * Receives download progress, at most about ten times a second per file and once when a file is
 * complete. Called on the downloading thread: hand the value over to a UI thread if needed.
 */
@FunctionalInterface
public interface DownloadListener {
    void onProgress(DownloadProgress progress);

    DownloadListener NONE = p -> { };
}
