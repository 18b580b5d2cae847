package dev.logitscope.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress for a pipe or a log file, where a redrawn bar would be a run of carriage returns: one
 * plain line each time the whole percentage goes up, so at most 101 lines per task.
 */
final class PercentLines {
    private final PrintWriter err;
    private final String task;
    private int lastPercent = -1;

    PercentLines(PrintWriter err, String task) {
        this.err = err;
        this.task = task;
    }

    /**
     * @param done   units done
     * @param total  units in all (0 or less when unknown: nothing is printed)
     * @param amount how much is done, as the user reads it ("120/548 MB"), or null
     * @param detail what is being done now, or null
     */
    void update(long done, long total, String amount, String detail) {
        if (total <= 0) {
            return;
        }
        int percent = (int) Math.min(100, Math.max(0, done * 100 / total));
        if (percent <= lastPercent) {
            return;
        }
        lastPercent = percent;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: %3d%%", task, percent));
        if (amount != null) {
            line.append(" (").append(amount).append(')');
        }
        if (detail != null && !detail.isBlank()) {
            line.append("  ").append(detail);
        }
        err.println(line);
        err.flush();
    }
}
