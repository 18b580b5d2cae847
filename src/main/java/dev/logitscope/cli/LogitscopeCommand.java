package dev.logitscope.cli;

import dev.logitscope.hub.HubException;
import dev.logitscope.model.ModelException;
import dev.logitscope.prompt.PromptException;
import dev.logitscope.tokenize.TokenizerException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code logitscope} command line: every computation of the app, scriptable. */
@Command(name = "logitscope", mixinStandardHelpOptions = true, version = "Logitscope 0.1.0",
        description = "Look inside GPT-2 with the logit lens. Without a command, ./logitscope starts the desktop app.",
        subcommands = {InspectCommand.class, EvalCommand.class, DownloadCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class LogitscopeCommand {

    /** Runs the command line and returns the exit code (0 ok, 1 user error, 2 usage error). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (tests set its output streams). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LogitscopeCommand());
        cli.setExecutionExceptionHandler(LogitscopeCommand::reportError);
        // "--prompt @notes.txt" is that text, not the contents of notes.txt: picocli would expand it silently.
        cli.setExpandAtFiles(false);
        // Results are UTF-8 whatever the locale (RFC 8259 requires it of JSON; under LANG=C Java would write '?').
        cli.setOut(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true));
        return cli;
    }

    /** Errors a user can cause end in one clear line on stderr, not a stack trace. */
    private static int reportError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof ModelException || e instanceof HubException || e instanceof TokenizerException
                || e instanceof UserException || e instanceof PromptException) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        err.println("error: unexpected failure (" + e + "). Please report it with the command you ran.");
        e.printStackTrace(err);
        return 3;
    }
}
