package dev.logitscope.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.testing.TinyCheckpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run saves model.safetensors again while the model is loaded: Python's save_file
 * truncates the file and writes it anew. The loaded model must neither crash nor change. With
 * memory-mapped weights the JVM dies with SIGBUS, so the scenario runs in a child JVM
 * ({@link RewriteBetweenForwards}) and a crash fails this test instead of the whole test run.
 */
class RewrittenCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void aCheckpointRewrittenInPlaceChangesNothingInTheLoadedModel() throws Exception {
        TinyCheckpoint loaded = TinyCheckpoint.builder().nLayer(2).nEmbd(32).nHead(4).nPositions(64).seed(1)
                .write(dir.resolve("run"));
        TinyCheckpoint next = TinyCheckpoint.builder().nLayer(2).nEmbd(32).nHead(4).nPositions(64).seed(2)
                .write(dir.resolve("next"));

        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(childCommand(loaded.folder(), next.modelFile()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = child.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("the child JVM did not finish within 180 s:%n%s", output).isTrue();
        assertThat(child.exitValue())
                .as("exit code of the child JVM (134 = aborted by a fatal signal such as SIGBUS; 3 = the logits"
                        + " changed with the file); its output:%n%s", output)
                .isZero();
        assertThat(output).contains("forward 2 (file truncated to 0 bytes): identical=true")
                .contains("forward 3 (file rewritten with other weights): identical=true");
    }

    private List<String> childCommand(Path folder, Path replacement) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log")); // a crash report stays in the temp folder
        command.add("-Dai.djl.offline=true");
        command.add("-Dai.djl.pytorch.num_threads=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RewriteBetweenForwards.class.getName());
        command.add(folder.toString());
        command.add(replacement.toString());
        return command;
    }
}
