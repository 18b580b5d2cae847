package dev.logitscope.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While a file downloads, a JVM shutdown hook that says, if the process is stopped (Ctrl-C,
 * SIGTERM, the app closed), that the bytes received so far stay in the cache and that running
 * again resumes. Nothing needs saving: every byte is already written to the partial file.
 */
final class PartialDownloadNotice implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartialDownloadNotice.class);

    private final Thread hook;

    private PartialDownloadNotice(Thread hook) {
        this.hook = hook;
    }

    static PartialDownloadNotice watch(String file, Path partial, long totalBytes) {
        Thread hook = new Thread(() -> log.warn(message(file, partial, totalBytes)), "download-interrupted");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the download is about to stop anyway
        }
        return new PartialDownloadNotice(hook);
    }

    static String message(String file, Path partial, long totalBytes) {
        long have;
        try {
            have = Files.exists(partial) ? Files.size(partial) : 0;
        } catch (IOException e) {
            have = 0;
        }
        return "interrupted while downloading " + file + ": the partial file ("
                + HubErrors.megabytes(have) + (totalBytes > 0 ? " of " + HubErrors.megabytes(totalBytes) : "")
                + ") is kept at " + partial + "; run the same command again to resume the download";
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and the hook is running: let it say its piece
        }
    }
}
