package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stderr carries only what the user needs, checked on a real process (logging is set up once per
 * JVM, so only a fresh one shows what a user sees): no DJL INFO lines, no GPU-probe warnings, one
 * line when the app has no display; {@code -v} brings the libraries' lines back.
 */
class QuietStderrTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void setUp() throws Exception {
        model = TinyCheckpoint.builder().nPositions(16).write(dir.resolve("m")).folder();
    }

    @Test
    void inspectWritesNothingToStderr() throws Exception {
        Run run = run(Map.of(), "inspect", "-m", model.toString(), "-p", "a b");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("block 2");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void verboseBringsTheLibrariesLogsBack() throws Exception {
        Run run = run(Map.of(), "inspect", "-v", "-m", model.toString(), "-p", "a b");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).contains("INFO").contains("PtEngine");
    }

    @Test
    void theAppWithoutADisplaySaysSoInOneLine() throws Exception {
        Map<String, String> noDisplay = Map.of("DISPLAY", "", "WAYLAND_DISPLAY", "");
        for (String[] args : List.of(new String[] {"app"}, new String[0])) {
            Run run = run(noDisplay, args);
            assertThat(run.code()).as(run.err()).isEqualTo(1);
            assertThat(run.err().strip()).as(run.err()).doesNotContain("\n").contains("display").contains("DISPLAY");
        }
    }

    private record Run(int code, String out, String err) {}

    /** {@code java dev.logitscope.Main ARGS} with this test's class path; env entries "" are removed. */
    private static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dlogitscope.stderr.tty=false", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), "dev.logitscope.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        env.forEach((k, v) -> {
            if (v.isEmpty()) {
                builder.environment().remove(k);
            } else {
                builder.environment().put(k, v);
            }
        });
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("logitscope " + String.join(" ", args) + " did not finish");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
