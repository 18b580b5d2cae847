package dev.logitscope.hub;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Watches a download's body stream: when no byte arrives for {@code timeout}, or the user
 * cancels, it closes the stream and interrupts the read blocked on it, which would otherwise
 * wait forever (Java's HttpClient has no read timeout, and closing its body stream does not wake
 * a blocked reader). Only a thread inside {@link #read} is interrupted, never one writing the file.
 */
final class StallGuard implements AutoCloseable {
    private static final ScheduledExecutorService WATCHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "download-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private final InputStream in;
    private final long timeoutNanos;
    private final BooleanSupplier cancelled;
    private final ScheduledFuture<?> check;
    private final Thread reader = Thread.currentThread();
    private volatile boolean reading;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;
    private volatile boolean cancelledWhileReading;

    StallGuard(InputStream in, Duration timeout, BooleanSupplier cancelled) {
        this.in = in;
        this.timeoutNanos = timeout.toNanos();
        this.cancelled = cancelled;
        long period = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
        this.check = WATCHER.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    /** Reads like {@link InputStream#read(byte[])}, noting the progress. */
    int read(byte[] buffer) throws IOException {
        return read(buffer, 0, buffer.length);
    }

    /** Reads like {@link InputStream#read(byte[], int, int)}, noting the progress. */
    int read(byte[] buffer, int offset, int length) throws IOException {
        reading = true;
        try {
            int n = in.read(buffer, offset, length);
            lastProgress = System.nanoTime();
            return n;
        } finally {
            reading = false;
            if (stalled || cancelledWhileReading) {
                Thread.interrupted(); // our own wake-up call, not the caller's interrupt
            }
        }
    }

    boolean stalled() {
        return stalled;
    }

    boolean cancelled() {
        return cancelledWhileReading;
    }

    private void check() {
        if (cancelled.getAsBoolean()) {
            cancelledWhileReading = true;
            closeStream();
        } else if (System.nanoTime() - lastProgress > timeoutNanos) {
            stalled = true;
            closeStream();
        }
    }

    private synchronized void closeStream() {
        check.cancel(false);
        // Interrupt first: the body stream's close may wait for the lock its blocked reader holds.
        if (reading) {
            reader.interrupt();
        }
        try {
            in.close();
        } catch (IOException e) {
            // already broken: the blocked read reports it
        }
    }

    @Override
    public void close() {
        check.cancel(false);
    }
}
