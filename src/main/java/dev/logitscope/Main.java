package dev.logitscope;

import dev.logitscope.cli.LogitscopeCommand;
import dev.logitscope.ui.Launcher;

/** Starts the desktop app without arguments, the command line with them. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            Launcher.main(args);
        } else {
            System.exit(LogitscopeCommand.run(args));
        }
    }
}
