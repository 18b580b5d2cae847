package dev.logitscope;

import dev.logitscope.cli.LogitscopeCommand;
import dev.logitscope.ui.Launcher;

/**
 * Starts the desktop app without arguments (or with {@code app [MODEL]}, which opens MODEL at
 * start), the command line otherwise. Both go through the command line, so {@code -v}, {@code
 * --help} and the one-line errors are the same everywhere.
 */
public final class Main {
    private Main() {}

    public static void main(String[] given) {
        String[] args = RawArguments.recover(given);
        System.exit(LogitscopeCommand.run(Launcher::launch, args));
    }
}
