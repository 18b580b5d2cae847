package dev.logitscope.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * SHA-256 of files, remembered between runs: a multi-gigabyte weight file of a local model folder
 * is hashed once (1–2 s per 0.5 GB measured on a loaded 2-core machine, so ~15–25 s for gpt2-xl's
 * 6.4 GB) and then recognised by its path, size and
 * modification time. The memory is a properties file (one line per file); a missing or unwritable
 * one only means hashing again.
 */
public final class FileHashes {
    private final Path store;

    public FileHashes(Path store) {
        this.store = store;
    }

    /** {@code $XDG_CACHE_HOME/logitscope/sha256.properties}, else {@code ~/.cache/logitscope/...}. */
    public static FileHashes user() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new FileHashes(base.resolve("logitscope").resolve("sha256.properties"));
    }

    /** The file's SHA-256 in hex. */
    public synchronized String sha256(Path file) throws IOException {
        Path real = file.toRealPath();
        String key = real.toString();
        String stamp = Files.size(real) + ":" + Files.getLastModifiedTime(real).toMillis();
        Properties known = load();
        String remembered = known.getProperty(key);
        if (remembered != null && remembered.startsWith(stamp + ":")) {
            return remembered.substring(stamp.length() + 1);
        }
        String hash = hash(real);
        known.setProperty(key, stamp + ":" + hash);
        save(known);
        return hash;
    }

    /** SHA-256 of a file's bytes, in hex. */
    public static String hash(Path file) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 of a text's UTF-8 bytes, in hex. */
    public static String hash(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.isRegularFile(store)) {
            try (InputStream in = Files.newInputStream(store)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // a damaged memory is rebuilt
            }
        }
        return p;
    }

    private void save(Properties p) {
        try {
            Files.createDirectories(store.getParent());
            Path tmp = Files.createTempFile(store.getParent(), ".sha256", ".tmp");
            try (var out = Files.newOutputStream(tmp)) {
                p.store(out, "Logitscope: SHA-256 of model files by path, size and modification time");
            }
            Files.move(tmp, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // not remembered: hashed again next time
        }
    }
}
