package dev.logitscope.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weight-file hashes: SHA-256 of the bytes, remembered by path, size and modification time. */
class FileHashesTest {
    @TempDir
    Path dir;

    @Test
    void hashesOnceAndAgainOnlyWhenTheFileChanges() throws Exception {
        Path file = dir.resolve("model.safetensors");
        Files.write(file, "weights, version 1".getBytes());
        FileHashes hashes = new FileHashes(dir.resolve("cache/sha256.properties"));
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertThat(hashes.sha256(file)).isEqualTo(expected);

        // the remembered value is what a second call returns: plant another one to see it read
        Path store = dir.resolve("cache/sha256.properties");
        String planted = Files.readString(store).replace(expected, "f".repeat(64));
        Files.writeString(store, planted);
        assertThat(new FileHashes(store).sha256(file)).isEqualTo("f".repeat(64));

        // a rewritten file (other size and time) is hashed again
        Files.write(file, "weights, version 2 (longer)".getBytes());
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        String second = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertThat(new FileHashes(store).sha256(file)).isEqualTo(second);
    }

    @Test
    void anUnwritableStoreOnlyMeansHashingAgain() throws Exception {
        Path file = dir.resolve("w.bin");
        Files.write(file, new byte[] {1, 2, 3});
        Files.writeString(dir.resolve("not-a-dir"), "x");
        FileHashes hashes = new FileHashes(dir.resolve("not-a-dir/sha256.properties"));
        assertThat(hashes.sha256(file)).isEqualTo(FileHashes.hash(file));
    }
}
