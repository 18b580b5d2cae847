package dev.logitscope.cli;

import dev.logitscope.hub.DownloadProgress;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Download progress on stderr (stdout stays clean): on a terminal one bar per file (bytes, rate,
 * time left); in a pipe or a log, one line per file and whole percent.
 */
final class ConsoleProgress implements AutoCloseable {
    private final PrintWriter err;
    private final boolean terminal;
    private final Map<String, ProgressBar> bars = new HashMap<>();
    private final Map<String, PercentLines> lines = new HashMap<>();

    ConsoleProgress(PrintWriter err) {
        this(err, Terminal.stderrIsTerminal());
    }

    ConsoleProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    void update(DownloadProgress progress) {
        if (!terminal) {
            String described = progress.describe();
            String amount = described.startsWith(progress.file() + " ")
                    ? described.substring(progress.file().length() + 1) : described;
            lines.computeIfAbsent(progress.file(), file -> new PercentLines(err, "downloading " + file))
                    .update(progress.bytesDone(), progress.totalBytes(), amount, null);
            return;
        }
        ProgressBar bar = bars.computeIfAbsent(progress.file(), file -> new ProgressBarBuilder()
                .setTaskName(file)
                .setInitialMax(Math.max(1, progress.totalBytes()))
                .setUnit(" MB", 1_000_000)
                .setStyle(ProgressBarStyle.ASCII)
                .showSpeed()
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .build());
        bar.maxHint(Math.max(1, progress.totalBytes()));
        bar.stepTo(progress.bytesDone());
    }

    @Override
    public void close() {
        bars.values().forEach(ProgressBar::close);
        err.flush();
    }
}
