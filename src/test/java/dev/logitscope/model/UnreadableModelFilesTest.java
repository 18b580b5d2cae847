package dev.logitscope.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.lens.LensEngine;
import dev.logitscope.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model folder with a file the user may not read says "permission denied" and names the file,
 * whichever of the three it is. Root reads everything, so there the test is skipped.
 */
class UnreadableModelFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"config.json", "model.safetensors", "tokenizer.json"})
    void anUnreadableFileSaysPermissionDeniedWithItsPath(String name) throws IOException {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "needs POSIX permissions");
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(16).write(dir.resolve("m"));
        Path file = ckpt.folder().resolve(name);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(file), "running as root: permissions are not enforced");
            assertThatThrownBy(() -> LensEngine.open(ckpt.folder(), "tiny").close())
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("permission denied");
        } finally {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }
}
