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
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code logitscope} command line: every computation of the app, scriptable. */
@Command(name = "logitscope", mixinStandardHelpOptions = true, version = "Logitscope 0.1.0",
        description = "Look inside GPT-2 with the logit lens. Without a command, ./logitscope starts the desktop app.",
        subcommands = {AppCommand.class, InspectCommand.class, EvalCommand.class, EvalMergeCommand.class,
                DownloadCommand.class, BenchCommand.class, FinetuneCommand.class, FitLensCommand.class,
                CommandLine.HelpCommand.class})
public final class LogitscopeCommand implements Callable<Integer> {
    private final AppStarter app;

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show the libraries' log lines on stderr too (DJL, JavaFX, downloads), with their sources.")
    boolean verbose;

    private LogitscopeCommand(AppStarter app) {
        this.app = app;
    }

    /** Runs the command line (or, without a command, the app) and returns the exit code (0 ok, 1 user error, 2 usage error). */
    public static int run(AppStarter app, String... args) {
        CommandLine cli = commandLine(app);
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        // Logging is set up after parsing (-v is known) and before anything runs (and logs).
        cli.setExecutionStrategy(parsed -> {
            Logging.configure(verbose(parsed));
            return run.execute(parsed);
        });
        return cli.execute(args);
    }

    /** The command line without the desktop app. */
    public static int run(String... args) {
        return run(AppStarter.UNAVAILABLE, args);
    }

    /** The configured command line, without the app (tests set its output streams). */
    public static CommandLine commandLine() {
        return commandLine(AppStarter.UNAVAILABLE);
    }

    /** The configured command line; {@code app} starts the desktop app through {@code app}. */
    public static CommandLine commandLine(AppStarter app) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == AppCommand.class) {
                    return cls.cast(new AppCommand(app));
                }
                if (cls == LogitscopeCommand.class) {
                    return cls.cast(new LogitscopeCommand(app));
                }
                return defaults.create(cls);
            }
        };
        CommandLine cli = new CommandLine(LogitscopeCommand.class, factory);
        cli.setExecutionExceptionHandler(LogitscopeCommand::reportError);
        // "--prompt @notes.txt" is that text, not the contents of notes.txt: picocli would expand it silently.
        cli.setExpandAtFiles(false);
        // Results are UTF-8 whatever the locale (RFC 8259 requires it of JSON; under LANG=C Java would write '?').
        cli.setOut(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true));
        return cli;
    }

    /** Without a command: the desktop app, as {@code ./logitscope} with no arguments. */
    @Override
    public Integer call() {
        int code = app.start(List.of(), spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return code;
    }

    /** Whether -v was given at any level ({@code logitscope -v inspect} or {@code logitscope inspect -v}). */
    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
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
