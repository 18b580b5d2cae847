package dev.logitscope.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a cache by hand exactly as Python's huggingface_hub lays it out. */
final class PythonCache {

    record File(String name, byte[] content, String etag) {
    }

    private PythonCache() {
    }

    static void write(Path cacheDir, String repoId, String commit, String branch, List<File> files) throws IOException {
        Path repo = cacheDir.resolve("models--" + repoId.replace("/", "--"));
        Files.createDirectories(repo.resolve("blobs"));
        Files.createDirectories(repo.resolve("refs"));
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(commit));
        Files.writeString(repo.resolve("refs").resolve(branch), commit, StandardCharsets.UTF_8);
        for (File file : files) {
            Files.write(repo.resolve("blobs").resolve(file.etag()), file.content());
            Files.createSymbolicLink(snapshot.resolve(file.name()), Path.of("../../blobs/" + file.etag()));
        }
    }
}
