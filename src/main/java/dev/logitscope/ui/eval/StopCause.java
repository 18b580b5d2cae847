package dev.logitscope.ui.eval;

import dev.logitscope.hub.DownloadCancelledException;

/**
 * Tells a user's Stop from a failure: Stop while a model downloads ends the run with a
 * {@link DownloadCancelledException} (possibly wrapped), which is a normal stop, not an error.
 */
public final class StopCause {
    private StopCause() {}

    public static boolean isStop(Throwable error, boolean stopRequested) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof DownloadCancelledException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return stopRequested && error instanceof InterruptedException;
    }
}
