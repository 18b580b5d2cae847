package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code app} is a command like the others: listed in --help, with its own help and -v. */
class AppCommandTest {

    @Test
    void appIsListedInTheHelp() {
        CliRunner result = CliRunner.run("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).containsPattern("(?m)^  app\\s+Start the desktop app").contains("--verbose");
    }

    @Test
    void appHelpPrintsHelpAndStartsNothing() {
        List<List<String>> started = new ArrayList<>();
        StringWriter out = new StringWriter();
        CommandLine cli = LogitscopeCommand.commandLine((args, err) -> {
            started.add(args);
            return 0;
        });
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("app", "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: logitscope app").contains("[MODEL]");
        assertThat(started).isEmpty();
    }

    @Test
    void appAndNoCommandStartTheAppWithTheModel() {
        List<List<String>> started = new ArrayList<>();
        CommandLine cli = LogitscopeCommand.commandLine((args, err) -> {
            started.add(args);
            return 0;
        });
        assertThat(cli.execute("app", "gpt2")).isZero();
        assertThat(cli.execute()).isZero();
        assertThat(cli.execute("-v")).isZero();
        assertThat(started).containsExactly(List.of("gpt2"), List.of(), List.of());
    }

    @Test
    void quietLoggingDropsJavafxWarningsAndVerboseKeepsThem() {
        Logger javafx = Logger.getLogger("javafx");
        try {
            Logging.configure(false);
            assertThat(javafx.isLoggable(Level.WARNING)).isFalse();
            assertThat(javafx.isLoggable(Level.SEVERE)).isTrue();
            Logging.configure(true);
            assertThat(javafx.isLoggable(Level.WARNING)).isTrue();
        } finally {
            System.clearProperty("org.slf4j.simpleLogger.defaultLogLevel");
            System.clearProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda");
            System.clearProperty("org.slf4j.simpleLogger.showThreadName");
            System.clearProperty("org.slf4j.simpleLogger.showShortLogName");
            System.clearProperty("org.slf4j.simpleLogger.warnLevelString");
        }
    }
}
