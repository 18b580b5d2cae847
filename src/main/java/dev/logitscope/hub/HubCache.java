package dev.logitscope.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hugging Face cache, laid out exactly as Python's huggingface_hub does, so a cache filled by
 * either tool serves the other:
 *
 * <pre>
 * {root}/models--{org}--{name}/          (spaces--{org}--{name}/ for a Space, datasets--… for a dataset)
 *     blobs/{etag}                      file contents, named by their etag (sha256 or git sha1)
 *     refs/{revision}                   the commit hash a branch pointed to when last fetched
 *     snapshots/{commit}/{file}         relative symlink to ../../blobs/{etag}
 * </pre>
 */
public final class HubCache {

    private static final Logger log = LoggerFactory.getLogger(HubCache.class);
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Path root;

    public HubCache(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    public Path root() {
        return root;
    }

    /**
     * {@code models--org--name}, as huggingface_hub names a model repo's folder ({@code spaces--org--name}
     * for a Space given as {@code spaces/org/name}, see {@link RepoType}).
     */
    public Path repoFolder(String repoId) {
        return root.resolve(RepoType.folderName(repoId));
    }

    public Path blobFile(String repoId, String etag) {
        return repoFolder(repoId).resolve("blobs").resolve(etag);
    }

    /** Where a download in progress lives; its presence means a later attempt can resume. */
    public Path incompleteFile(String repoId, String etag) {
        return repoFolder(repoId).resolve("blobs").resolve(etag + ".incomplete");
    }

    public Path snapshotDir(String repoId, String commit) {
        return repoFolder(repoId).resolve("snapshots").resolve(commit);
    }

    /**
     * The commit a revision stands for in this cache: a commit hash whose snapshot exists, or the
     * content of {@code refs/{revision}} for a branch or tag.
     */
    public Optional<String> resolveCommit(String repoId, String revision) {
        if (COMMIT.matcher(revision).matches() && Files.isDirectory(snapshotDir(repoId, revision))) {
            return Optional.of(revision);
        }
        Path ref = repoFolder(repoId).resolve("refs").resolve(revision);
        try {
            if (Files.isRegularFile(ref)) {
                String commit = Files.readString(ref, StandardCharsets.UTF_8).trim();
                return commit.isEmpty() ? Optional.empty() : Optional.of(commit);
            }
        } catch (IOException e) {
            log.warn("cannot read {}: {}", ref, e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * The files of a complete model in the cached snapshot of {@code revision}, chosen as
     * {@link ModelRepoFiles} chooses them on the Hub, or empty when the snapshot lacks any.
     */
    public Optional<List<String>> modelFiles(String repoId, String revision) {
        Optional<String> commit = resolveCommit(repoId, revision);
        if (commit.isEmpty()) {
            return Optional.empty();
        }
        try {
            List<String> files = ModelRepoFiles.chooseInFolder(snapshotDir(repoId, commit.get()), "");
            return missingFiles(repoId, commit.get(), files).isEmpty() ? Optional.of(files) : Optional.empty();
        } catch (HubException e) {
            return Optional.empty();
        }
    }

    /** The snapshot folder of a revision if it holds every one of {@code files}, else empty. */
    public Optional<Path> snapshotFolder(String repoId, String revision, List<String> files) {
        return resolveCommit(repoId, revision)
                .filter(commit -> missingFiles(repoId, commit, files).isEmpty())
                .map(commit -> snapshotDir(repoId, commit));
    }

    /**
     * The files a revision lacks in this cache: all of them when the revision is unknown. A
     * dangling link (blob deleted) counts as missing.
     */
    public List<String> missingFiles(String repoId, String revision, List<String> files) {
        Optional<String> commit = resolveCommit(repoId, revision);
        if (commit.isEmpty()) {
            return List.copyOf(files);
        }
        Path snapshot = snapshotDir(repoId, commit.get());
        List<String> missing = new ArrayList<>();
        for (String file : files) {
            if (!Files.isRegularFile(snapshot.resolve(file))) {
                missing.add(file);
            }
        }
        return missing;
    }

    /** Records which commit a branch or tag points to (a commit hash needs no ref). */
    public void writeRef(String repoId, String revision, String commit) throws IOException {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = repoFolder(repoId).resolve("refs").resolve(revision);
        Files.createDirectories(ref.getParent());
        Path tmp = ref.resolveSibling(ref.getFileName() + ".tmp");
        Files.writeString(tmp, commit, StandardCharsets.UTF_8);
        moveAtomically(tmp, ref);
    }

    /**
     * Makes {@code snapshots/{commit}/{file}} point at {@code blobs/{etag}}: a relative symlink as
     * huggingface_hub makes, or a copy where the file system or OS refuses links (Windows without
     * developer mode).
     */
    public Path linkSnapshotFile(String repoId, String commit, String file, String etag) throws IOException {
        Path blob = blobFile(repoId, etag);
        Path target = snapshotDir(repoId, commit).resolve(file);
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        Path relative = target.getParent().relativize(blob);
        try {
            Files.createSymbolicLink(target, relative);
        } catch (UnsupportedOperationException | FileSystemException | SecurityException e) {
            log.debug("symlink refused ({}), copying {} instead", e.getMessage(), file);
            Files.copy(blob, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** Rename so readers never see a half-written file; fall back where atomic moves are unsupported. */
    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
