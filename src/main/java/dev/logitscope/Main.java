package dev.logitscope;

import dev.logitscope.cli.LogitscopeCommand;
import dev.logitscope.ui.Launcher;
import java.util.Arrays;

/**
 * Starts the desktop app without arguments (or with {@code app [MODEL]}, which opens MODEL at
 * start), the command line otherwise.
 */
public final class Main {
    private Main() {}

    public static void main(String[] given) {
        String[] args = RawArguments.recover(given);
        if (args.length == 0) {
            Launcher.main(args);
        } else if (args[0].equals("app")) {
            Launcher.main(Arrays.copyOfRange(args, 1, args.length));
        } else {
            System.exit(LogitscopeCommand.run(args));
        }
    }
}
