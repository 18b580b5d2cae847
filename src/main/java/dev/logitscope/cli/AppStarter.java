package dev.logitscope.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * Starts the desktop app and returns the exit code when its window closes. Given by the entry
 * point, because the command line must not depend on JavaFX (the app lives in {@code ui}).
 */
@FunctionalInterface
public interface AppStarter {
    /** Used where no app is wired in (the command line in tests). */
    AppStarter UNAVAILABLE = (args, err) -> {
        err.println("error: the desktop app is not available here; run it with ./logitscope app.");
        return 1;
    };

    /**
     * @param args the app's arguments (a model to open, or none)
     * @param err  where a reason it cannot start is written, in one line
     */
    int start(List<String> args, PrintWriter err);
}
