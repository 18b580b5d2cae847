package dev.logitscope.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A local Hugging Face Hub for tests outside this package (the app's first start): serves a model
 * folder under a repo id, like the Hub (small files direct, weights through the CDN redirect).
 */
public final class LocalHub implements AutoCloseable {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private final FakeHub hub;

    public LocalHub() throws IOException {
        hub = new FakeHub();
    }

    public URI endpoint() {
        return hub.endpoint();
    }

    /** Serves config.json, tokenizer.json and model.safetensors of {@code folder} as {@code repoId}. */
    public LocalHub model(String repoId, Path folder) throws IOException {
        hub.repo(repoId, COMMIT)
                .file(repoId, "config.json", Files.readAllBytes(folder.resolve("config.json")), false)
                .file(repoId, "tokenizer.json", Files.readAllBytes(folder.resolve("tokenizer.json")), false)
                .file(repoId, "model.safetensors", Files.readAllBytes(folder.resolve("model.safetensors")), true);
        return this;
    }

    /**
     * Serves {@code files} (repository path → local file) in the repository {@code qualifiedId}, e.g. a
     * Space as {@code spaces/org/name}; a file over 1 kB goes through the CDN redirect like an LFS file.
     */
    public LocalHub files(String qualifiedId, java.util.Map<String, Path> files) throws IOException {
        hub.repo(qualifiedId, COMMIT);
        for (var e : files.entrySet()) {
            byte[] content = Files.readAllBytes(e.getValue());
            hub.file(qualifiedId, e.getKey(), content, content.length > 1024);
        }
        return this;
    }

    /** The paths of every request, in order (e.g. /spaces/org/name/resolve/main/lens/gpt2/params.pt). */
    public java.util.List<String> requestedPaths() {
        return hub.requests().stream().map(r -> r.method() + " " + r.path()).toList();
    }

    public String commit() {
        return COMMIT;
    }

    /** Bodies go out {@code sliceBytes} at a time with a pause, so a download's progress can be seen. */
    public LocalHub slowly(int sliceBytes, long pauseMillis) {
        hub.sliceBytes = sliceBytes;
        hub.slicePauseMillis = pauseMillis;
        return this;
    }

    /** How many downloads of weights went over the wire. */
    public long weightDownloads() {
        return hub.requests("GET").stream().filter(r -> r.path().startsWith("/cdn/")).count();
    }

    @Override
    public void close() {
        hub.close();
    }
}
