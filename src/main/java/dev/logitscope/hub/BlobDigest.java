package dev.logitscope.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a download against its etag, which on the Hub is a content hash: the sha256 of the file
 * for LFS files (the weights), the git blob sha1 ({@code sha1("blob " + size + "\0" + content)})
 * for small files kept in git. Hashing runs alongside the download, so a 6 GB file is not read twice.
 */
final class BlobDigest {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");

    private final String expected;
    private final boolean gitBlob;
    /** The size in the git blob header; -1 when unknown, then the hash is taken from the file at the end. */
    private final long gitBlobSize;
    private MessageDigest digest;

    private BlobDigest(String expected, boolean gitBlob, long gitBlobSize) {
        this.expected = expected;
        this.gitBlob = gitBlob;
        this.gitBlobSize = gitBlobSize;
        reset();
    }

    /** A check for this etag, or empty when the etag is not a hash we know (then nothing is verified). */
    static Optional<BlobDigest> forEtag(String etag, long expectedSize) {
        if (SHA256.matcher(etag).matches()) {
            return Optional.of(new BlobDigest(etag, false, -1));
        }
        if (SHA1.matcher(etag).matches()) {
            return Optional.of(new BlobDigest(etag, true, expectedSize));
        }
        return Optional.empty();
    }

    /** "sha256" or "git sha1", for messages. */
    String algorithm() {
        return gitBlob ? "git sha1" : "sha256";
    }

    /** Starts over, for a download that restarts from byte 0. */
    void reset() {
        digest = newDigest(gitBlob ? "SHA-1" : "SHA-256");
        if (gitBlob && gitBlobSize >= 0) {
            digest.update(gitHeader(gitBlobSize));
        }
    }

    void update(byte[] bytes, int offset, int length) {
        if (streaming()) {
            digest.update(bytes, offset, length);
        }
    }

    /** Feeds the bytes a resumed download already has. */
    void updateFrom(Path partial) throws IOException {
        if (streaming()) {
            feed(partial, digest);
        }
    }

    /** True when the finished file hashes to the etag. */
    boolean matches(Path finished) throws IOException {
        byte[] actual;
        if (streaming()) {
            actual = digest.digest();
        } else {
            MessageDigest sha1 = newDigest("SHA-1");
            sha1.update(gitHeader(Files.size(finished)));
            feed(finished, sha1);
            actual = sha1.digest();
        }
        return HexFormat.of().formatHex(actual).equals(expected);
    }

    private boolean streaming() {
        return !gitBlob || gitBlobSize >= 0;
    }

    private static byte[] gitHeader(long size) {
        return ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    private static void feed(Path file, MessageDigest md) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            // Every JDK must provide SHA-1 and SHA-256.
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
    }
}
