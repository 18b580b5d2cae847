package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.testing.TinyCheckpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping {@code fit-lens} mid-fit (Ctrl-C sends SIGINT, which runs the JVM's shutdown hooks as
 * SIGTERM does) leaves neither the lens folder nor a half-written one beside it, and says so.
 */
class FitLensInterruptedTest {

    @TempDir
    Path temp;

    /** The child process: the command line, as the launcher runs it. */
    public static void main(String[] args) {
        System.exit(LogitscopeCommand.run(args));
    }

    @Test
    void stoppingMidFitWritesNothing() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(128).write(temp.resolve("m"));
        Path data = temp.resolve("stsa.binary.train");
        Random random = new Random(1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            lines.add((i % 2) + " the film was " + (random.nextBoolean() ? "good" : "bad") + " and " + i + " .");
        }
        Files.write(data, lines, StandardCharsets.UTF_8);
        Path lenses = Files.createDirectories(temp.resolve("lenses"));
        Path out = lenses.resolve("tiny");
        Path stderr = temp.resolve("stderr.txt");

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), FitLensInterruptedTest.class.getName(), "fit-lens", "-m",
                ckpt.folder().toString(), "--data", data.toString(), "--out", out.toString(), "--max-tokens", "1000000")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(stderr).contains("% (") && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(20);
        }
        try (Stream<Path> files = Files.list(lenses)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("a staging folder while fitting")
                    .anyMatch(name -> name.startsWith(".tiny.partial-"));
        }
        assertThat(child.isAlive()).as("still fitting:\n" + Files.readString(stderr)).isTrue();

        child.destroy(); // SIGTERM: the shutdown hooks run, as on Ctrl-C
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(err).contains("stopped: nothing was written to " + out).doesNotContain("Exception");
        assertThat(out).doesNotExist();
        try (Stream<Path> files = Files.list(lenses)) {
            assertThat(files).as("nothing left beside --out").isEmpty();
        }
    }
}
