package dev.logitscope.hub;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a stream of byte counts into {@link DownloadProgress} events, at most one per
 * {@link #INTERVAL_NANOS} plus a final one, so a UI is not flooded by a fast local download.
 */
final class ProgressMeter {

    private static final Logger log = LoggerFactory.getLogger(ProgressMeter.class);
    static final long INTERVAL_NANOS = 100_000_000L;

    private final String file;
    private final long totalBytes;
    private final DownloadListener listener;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long sessionStartBytes;
    private long bytesDone;
    private long lastEmitNanos;
    private boolean listenerFailed;

    ProgressMeter(String file, long startBytes, long totalBytes, DownloadListener listener, LongSupplier nanoClock) {
        this.file = file;
        this.totalBytes = totalBytes;
        this.listener = listener;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastEmitNanos = startNanos;
        this.sessionStartBytes = startBytes;
        this.bytesDone = startBytes;
    }

    /** The download restarted from zero (the server ignored a Range request). */
    void restart() {
        sessionStartBytes = 0;
        bytesDone = 0;
    }

    void advance(long bytes) {
        bytesDone += bytes;
        long now = nanoClock.getAsLong();
        if (now - lastEmitNanos >= INTERVAL_NANOS) {
            lastEmitNanos = now;
            emit(now);
        }
    }

    void finish() {
        emit(nanoClock.getAsLong());
    }

    long bytesDone() {
        return bytesDone;
    }

    private void emit(long now) {
        // The rate counts this session only: resumed bytes arrived earlier and would inflate it.
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? (bytesDone - sessionStartBytes) / seconds : 0;
        Duration eta = null;
        if (rate > 0 && totalBytes >= 0) {
            eta = Duration.ofSeconds((long) Math.ceil(Math.max(0, totalBytes - bytesDone) / rate));
        }
        try {
            listener.onProgress(new DownloadProgress(file, bytesDone, totalBytes, rate, eta));
        } catch (RuntimeException e) {
            // A broken progress display must not break the download.
            if (!listenerFailed) {
                listenerFailed = true;
                log.warn("progress listener failed: {}", e.toString());
            }
        }
    }
}
