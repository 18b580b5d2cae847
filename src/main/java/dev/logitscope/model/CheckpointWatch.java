package dev.logitscope.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Notices that a checkpoint file changed on disk after it was loaded (a training run saved a new
 * one): its identity (inode), size, modification time or safetensors header differs from what it
 * was when loading began. Cheap enough to ask before every analysis: one stat and a read of the
 * header (tens of kilobytes for GPT-2). Thread-safe; it never touches the loaded weights.
 */
public final class CheckpointWatch {
    /** Headers larger than this are compared by their first this-many bytes. */
    private static final int MAX_HEADER_DIGEST = 1 << 20;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

    private final List<Path> files;
    private final List<Signature> loaded;
    private final Instant loadedAt;

    private CheckpointWatch(List<Path> files, List<Signature> loaded, Instant loadedAt) {
        this.files = files;
        this.loaded = loaded;
        this.loadedAt = loadedAt;
    }

    /** Remembers {@code file} as it is now; take it before reading the weights, so a change during the load counts. */
    public static CheckpointWatch start(Path file) {
        return start(List.of(file));
    }

    /** Remembers every file of a checkpoint (each shard) as it is now. */
    public static CheckpointWatch start(List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint has at least one file");
        }
        return new CheckpointWatch(List.copyOf(files), files.stream().map(Signature::of).toList(), Instant.now());
    }

    /**
     * A model that no file holds (random weights being fine-tuned): it never changes on disk.
     */
    public static CheckpointWatch none() {
        return new CheckpointWatch(List.of(), List.of(), Instant.now());
    }

    /** The first file that changed, else the first file (null for {@link #none()}). */
    public Path file() {
        return changedFile().orElse(files.isEmpty() ? null : files.get(0));
    }

    /** When the weights in use were read (the watch was started). */
    public Instant loadedAt() {
        return loadedAt;
    }

    /** True when a file is no longer the one loaded: replaced, rewritten, touched, cut short or gone. */
    public boolean changed() {
        return changedFile().isPresent();
    }

    private Optional<Path> changedFile() {
        for (int i = 0; i < files.size(); i++) {
            if (!loaded.get(i).equals(Signature.of(files.get(i)))) {
                return Optional.of(files.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * The line to show when the file changed, e.g. "model.safetensors changed on disk while loaded;
     * results used the version loaded at 14:05 (/runs/x/model.safetensors)."; empty while it is
     * unchanged. The caller adds how to load the new version (run again, choose it again).
     */
    public Optional<String> notice() {
        Optional<Path> changed = changedFile();
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        Path file = changed.get();
        String clock = LocalTime.ofInstant(loadedAt, ZoneId.systemDefault()).format(CLOCK);
        return Optional.of(file.getFileName() + " changed on disk while loaded; results used the version loaded at "
                + clock + " (" + file + ").");
    }

    /**
     * What identifies the file's contents without reading its data: a rewrite in place changes the
     * modification time, a replace by rename the file key, a different checkpoint usually the size
     * and header too. An unreadable file differs from any state, itself included. The file key is
     * null where the file system has none (Windows); then the other fields decide.
     */
    private record Signature(boolean readable, Object fileKey, long size, long modifiedNanos, byte[] headerDigest) {
        static Signature of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                Instant modified = attributes.lastModifiedTime().toInstant();
                long nanos = modified.getEpochSecond() * 1_000_000_000L + modified.getNano();
                return new Signature(true, attributes.fileKey(), attributes.size(), nanos, headerDigest(file));
            } catch (IOException | ArithmeticException e) {
                return new Signature(false, null, -1, 0, null);
            }
        }

        /** SHA-256 of the 8-byte length and the JSON header (at most {@link #MAX_HEADER_DIGEST} bytes of it). */
        private static byte[] headerDigest(Path file) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                readFully(channel, length, 0);
                long headerLength = length.position() == 8 ? length.getLong(0) : 0;
                long available = Math.max(0, channel.size() - 8);
                int toRead = (int) Math.max(0, Math.min(Math.min(headerLength, available), MAX_HEADER_DIGEST));
                ByteBuffer header = ByteBuffer.allocate(toRead);
                readFully(channel, header, 8);
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(length.array());
                sha.update(header.array(), 0, header.position());
                return sha.digest();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }

        /** Reads until {@code buffer} is full or the file ends (a short file is part of the signature). */
        private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    return;
                }
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s
                    && readable && s.readable
                    && Objects.equals(fileKey, s.fileKey) && size == s.size && modifiedNanos == s.modifiedNanos
                    && Arrays.equals(headerDigest, s.headerDigest);
        }

        @Override
        public int hashCode() {
            return Objects.hash(fileKey, size, modifiedNanos, Arrays.hashCode(headerDigest));
        }
    }
}
