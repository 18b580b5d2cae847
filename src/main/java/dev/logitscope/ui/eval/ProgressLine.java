package dev.logitscope.ui.eval;

import java.util.Locale;

/**
 * The progress line beside the bar: examples done of the total (every example once per
 * condition), the rate of this session and the time left at that rate. Counts from when the run (or resume) started, so finished work of a
 * stopped run does not inflate the rate.
 */
public final class ProgressLine {
    private long total;
    private long done;
    private long doneAtStart;
    private long startNanos;

    public void started(long total, long done, long nanos) {
        this.total = total;
        this.done = done;
        this.doneAtStart = done;
        this.startNanos = nanos;
    }

    public void step() {
        done++;
    }

    public long done() {
        return done;
    }

    public long total() {
        return total;
    }

    public String describe(long nanos) {
        double seconds = (nanos - startNanos) / 1e9;
        long fresh = done - doneAtStart;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%,d / %,d examples", done, total));
        if (fresh > 0 && seconds > 0.2) {
            double rate = fresh / seconds;
            s.append(String.format(Locale.ROOT, " · %.1f ex/s · %s left", rate, duration((total - done) / rate)));
        }
        return s.toString();
    }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
