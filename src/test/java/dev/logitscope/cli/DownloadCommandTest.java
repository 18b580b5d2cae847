package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code download MODEL} takes the model as a positional argument and prints its folder. */
class DownloadCommandTest {
    @TempDir
    Path dir;

    @Test
    void aLocalFolderIsAlreadyThere() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().write(dir.resolve("m"));
        CliRunner result = CliRunner.run("download", ckpt.folder().toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().strip()).isEqualTo(ckpt.folder().toString());
    }

    @Test
    void aMissingModelArgumentIsAUsageError() {
        CliRunner result = CliRunner.run("download");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("MODEL");
    }
}
