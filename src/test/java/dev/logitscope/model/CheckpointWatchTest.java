package dev.logitscope.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a training run or a user replaces a checkpoint is noticed; an untouched file is not. */
class CheckpointWatchTest {
    @TempDir
    Path dir;
    Path file;
    CheckpointWatch watch;

    @BeforeEach
    void writeAndWatch() throws IOException {
        file = dir.resolve("model.safetensors");
        Files.write(file, checkpointBytes((byte) 1));
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L)); // a save long ago
        watch = CheckpointWatch.start(file);
    }

    /** A small safetensors-shaped file: 8-byte header length, header, data. */
    private static byte[] checkpointBytes(byte fill) {
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}".getBytes();
        byte[] bytes = new byte[8 + header.length + 16];
        bytes[0] = (byte) header.length;
        System.arraycopy(header, 0, bytes, 8, header.length);
        java.util.Arrays.fill(bytes, 8 + header.length, bytes.length, fill);
        return bytes;
    }

    @Test
    void anUntouchedFileHasNotChanged() {
        assertThat(watch.changed()).isFalse();
        assertThat(watch.notice()).isEmpty();
        assertThat(watch.file()).isEqualTo(file);
    }

    @Test
    void aRewriteInPlaceWithOtherWeightsOfTheSameShapeIsNoticed() throws IOException {
        Files.write(file, checkpointBytes((byte) 2)); // same size, same header, new data and time
        assertThat(watch.changed()).isTrue();
        String clock = LocalTime.ofInstant(watch.loadedAt(), ZoneId.systemDefault()).format(DateTimeFormatter.ofPattern("HH:mm"));
        assertThat(watch.notice()).hasValueSatisfying(notice -> assertThat(notice).startsWith(
                "model.safetensors changed on disk while loaded; results used the version loaded at " + clock + " ("
                        + file + ")"));
    }

    @Test
    void aFileCutShortIsNoticedEvenWithItsOldTime() throws IOException {
        FileTime before = Files.getLastModifiedTime(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0); // the first step of save_file
        }
        Files.setLastModifiedTime(file, before);
        assertThat(watch.changed()).isTrue();
    }

    @Test
    void aReplaceByRenameIsNoticedEvenWithTheSameBytesAndTime() throws IOException {
        Path fresh = dir.resolve("model.safetensors.tmp");
        Files.copy(file, fresh, StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(FileTime.fromMillis(1_000_000_000_000L));
        assertThat(watch.changed()).as("another file (inode) now has the name").isTrue();
    }

    @Test
    void aNewHeaderIsNoticedEvenWithTheSameSizeAndTime() throws IOException {
        byte[] bytes = checkpointBytes((byte) 1);
        bytes[8 + 3] = 'v'; // tensor "w" renamed "v": same length
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(bytes), 0);
        }
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
        assertThat(watch.changed()).isTrue();
    }

    @Test
    void aTouchOrADeletionIsNoticed() throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_001_000L));
        assertThat(watch.changed()).isTrue();
        Files.delete(file);
        assertThat(watch.changed()).isTrue();
        assertThat(watch.notice()).isPresent();
    }
}
