package dev.logitscope.cli;

import dev.logitscope.hub.DownloadProgress;
import java.util.HashMap;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Download progress as one bar per file on stderr (bytes, rate, time left); stdout stays clean. */
final class ConsoleProgress implements AutoCloseable {
    private final Map<String, ProgressBar> bars = new HashMap<>();

    void update(DownloadProgress progress) {
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
    }
}
