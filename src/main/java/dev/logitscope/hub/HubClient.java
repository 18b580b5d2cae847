package dev.logitscope.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches files of a Hub repository into the shared Hugging Face cache, speaking the same
 * protocol as huggingface_hub: a HEAD on {@code /resolve/} for the commit and etag, then a GET
 * (resumable, verified) of the bytes. Redirects are followed by hand so the token never leaves the
 * Hub's host. Offline, or when the network fails, a complete cached snapshot is used instead.
 */
public final class HubClient {

    private static final Logger log = LoggerFactory.getLogger(HubClient.class);

    /** A model id, or a dataset's or Space's qualified as the Hub's URLs qualify it ({@link RepoType}). */
    private static final Pattern REPO_ID = Pattern.compile(
            "((datasets|spaces)/[A-Za-z0-9][A-Za-z0-9._-]*/|[A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*");
    /** Etags name files in the cache, so a hostile server must not slip a path through them. */
    private static final Pattern SAFE_ETAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_REDIRECTS = 5;

    /** No byte for this long and a download counts as stalled (and is resumed on a new connection). */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    /** huggingface_hub's http_get waits 1 s before resuming a dropped transfer. */
    private static final Duration RETRY_WAIT = Duration.ofSeconds(1);
    private static final Pattern COMMIT_HASH = Pattern.compile("[0-9a-f]{40}");

    private final HubSettings settings;
    private final HubCache cache;
    private final HttpClient http;
    private final Duration stallTimeout;
    private final Duration retryWait;

    public HubClient(HubSettings settings) {
        this(settings, HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(ProxySelector.getDefault())
                .build());
    }

    HubClient(HubSettings settings, HttpClient http) {
        this(settings, http, STALL_TIMEOUT);
    }

    HubClient(HubSettings settings, HttpClient http, Duration stallTimeout) {
        this(settings, http, stallTimeout, RETRY_WAIT);
    }

    HubClient(HubSettings settings, HttpClient http, Duration stallTimeout, Duration retryWait) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cache = new HubCache(settings.cacheDir());
        this.http = Objects.requireNonNull(http, "http");
        this.stallTimeout = Objects.requireNonNull(stallTimeout, "stallTimeout");
        this.retryWait = Objects.requireNonNull(retryWait, "retryWait");
    }

    public HubSettings settings() {
        return settings;
    }

    public HubCache cache() {
        return cache;
    }

    /**
     * Makes sure every one of {@code files} of {@code repoId} at {@code revision} is in the cache
     * and returns the snapshot folder holding them.
     *
     * @param revision  a branch or tag ({@code main}) or a commit hash
     * @param cancelled checked between chunks; when true the download stops and the partial file
     *                  is kept for a later resume
     * @throws DownloadCancelledException when cancelled
     * @throws HubException               with a message for the user on any other failure
     */
    public Path fetch(String repoId, String revision, List<String> files, DownloadListener listener,
                      BooleanSupplier cancelled) throws HubException {
        return fetch(repoId, revision, files, listener, cancelled, null);
    }

    /**
     * As {@link #fetch(String, String, List, DownloadListener, BooleanSupplier)}; {@code advice} says
     * what to do about missing files (null: a model's advice, in each surface's words).
     */
    Path fetch(String repoId, String revision, List<String> files, DownloadListener listener,
               BooleanSupplier cancelled, HubErrors.Advice advice) throws HubException {
        checkArguments(repoId, revision, files);
        DownloadListener progress = listener == null ? DownloadListener.NONE : listener;
        BooleanSupplier stop = cancelled == null ? () -> false : cancelled;

        if (settings.offline()) {
            return cache.snapshotFolder(repoId, revision, files).orElseThrow(() -> advice == null
                    ? HubErrors.offline(repoId, cache.missingFiles(repoId, revision, files), files, settings.cacheDir())
                    : HubErrors.offline(repoId, cache.missingFiles(repoId, revision, files), settings.cacheDir(), advice));
        }
        if (COMMIT_HASH.matcher(revision).matches()) {
            // A commit's files never change: if the cache has them all, the Hub need not be asked (as hf_hub_download).
            Optional<Path> pinned = cache.snapshotFolder(repoId, revision, files);
            if (pinned.isPresent()) {
                return pinned.get();
            }
        }

        List<FileMetadata> metadata;
        try {
            metadata = headAll(repoId, revision, files);
        } catch (Fallback e) {
            // As huggingface_hub: no network, server trouble, a refusal (expired token, gated, private) or an
            // answer without the Hub's headers still leaves a complete cached copy usable.
            Optional<Path> cached = cache.snapshotFolder(repoId, revision, files);
            if (cached.isPresent()) {
                String why = e.error == null ? "cannot reach " + settings.endpoint() + " (" + e.reason + ")" : e.reason;
                String notice = why + "; using the copy of " + repoId + " already in the cache (" + cached.get()
                        + "), which may not be the latest";
                log.warn(notice);
                try {
                    progress.onNotice(notice);
                } catch (RuntimeException listenerFailure) {
                    log.debug("notice listener failed: {}", listenerFailure.toString());
                }
                return cached.get();
            }
            if (e.error != null) {
                throw e.error;
            }
            List<String> missing = cache.missingFiles(repoId, revision, files);
            throw advice == null
                    ? HubErrors.unreachable(settings.endpoint().toString(), e.reason, repoId, missing, files,
                            settings.cacheDir(), e.getCause())
                    : HubErrors.unreachable(settings.endpoint().toString(), e.reason, repoId, missing, settings.cacheDir(),
                            advice, e.getCause());
        }

        String commit = metadata.get(0).commit();
        try {
            for (FileMetadata file : metadata) {
                ensureInSnapshot(repoId, commit, file, progress, stop);
            }
            // Only now: refs/{revision} must point at a complete snapshot, or offline use would break.
            cache.writeRef(repoId, revision, commit);
        } catch (HubException e) {
            throw e;
        } catch (IOException e) {
            throw new HubException("cannot write to the cache at " + settings.cacheDir() + ": " + e.getMessage()
                    + ". Check free disk space and permissions, or point HF_HUB_CACHE elsewhere.", e);
        }
        return cache.snapshotDir(repoId, commit);
    }

    /**
     * Fetches the files of a model repository, chosen by {@link ModelRepoFiles} from what the
     * repository holds (asked with a HEAD per candidate; a file the Hub says it lacks is the cue to
     * try the next), and returns the snapshot folder. Offline, or when the Hub cannot be reached,
     * the choice is made from the cached snapshot, as {@link #fetch} then serves it.
     */
    public Path fetchModel(String repoId, String revision, DownloadListener listener, BooleanSupplier cancelled)
            throws HubException {
        checkArguments(repoId, revision, List.of(ModelRepoFiles.CONFIG));
        List<String> files;
        if (settings.offline()) {
            files = cache.modelFiles(repoId, revision).orElse(ModelRepoFiles.DEFAULT);
        } else {
            try {
                files = ModelRepoFiles.choose(repoId, onHub(repoId, revision, listener, cancelled),
                        "pass another repository, or the path of a local folder holding them.");
            } catch (UncheckedFallback e) {
                Optional<List<String>> cached = cache.modelFiles(repoId, revision);
                if (cached.isEmpty()) {
                    Fallback why = e.fallback;
                    if (why.error != null) {
                        throw why.error;
                    }
                    throw HubErrors.unreachable(settings.endpoint().toString(), why.reason, repoId,
                            ModelRepoFiles.DEFAULT, ModelRepoFiles.DEFAULT, settings.cacheDir(), why.getCause());
                }
                files = cached.get(); // fetch() tells why the cached copy serves
            }
        }
        return fetch(repoId, revision, files, listener, cancelled);
    }

    /** The repository on the Hub: HEAD per file; text files are fetched into the cache and read there. */
    private ModelRepoFiles.Lookup onHub(String repoId, String revision, DownloadListener listener,
                                        BooleanSupplier cancelled) {
        return new ModelRepoFiles.Lookup() {
            @Override
            public boolean has(String file) throws HubException {
                try {
                    head(repoId, revision, file);
                    return true;
                } catch (MissingEntryException e) {
                    return false;
                } catch (Fallback e) {
                    throw new UncheckedFallback(e);
                }
            }

            @Override
            public String read(String file) throws HubException {
                return readText(fetch(repoId, revision, List.of(file), listener, cancelled).resolve(file));
            }
        };
    }

    private static String readText(Path file) throws HubException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HubException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Carries a {@link Fallback} out of a {@link ModelRepoFiles.Lookup}, whose methods cannot declare it. */
    private static final class UncheckedFallback extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Fallback fallback;

        UncheckedFallback(Fallback fallback) {
            super(fallback.reason, null, false, false);
            this.fallback = fallback;
        }
    }

    private static void checkArguments(String repoId, String revision, List<String> files) throws HubException {
        if (repoId == null || !REPO_ID.matcher(repoId).matches() || repoId.contains("..")) {
            throw new HubException("'" + repoId + "' is not a valid model repository id; expected org/name, "
                    + "e.g. openai-community/gpt2");
        }
        if (revision == null || revision.isBlank() || revision.contains("..")) {
            throw new HubException("'" + revision + "' is not a valid revision; use a branch such as main or a commit hash");
        }
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("no files to fetch");
        }
        for (String file : files) {
            if (file.isBlank() || file.startsWith("/") || file.contains("\\") || List.of(file.split("/")).contains("..")) {
                throw new IllegalArgumentException("not a repository file name: " + file);
            }
        }
    }

    /** HEADs the first file at the revision, the rest at the commit it named, so all land in one snapshot. */
    private List<FileMetadata> headAll(String repoId, String revision, List<String> files)
            throws HubException, Fallback {
        List<FileMetadata> result = new ArrayList<>();
        String pinned = revision;
        for (String file : files) {
            FileMetadata meta = head(repoId, pinned, file);
            result.add(meta);
            pinned = meta.commit();
        }
        return result;
    }

    /** Where a redirect points; a malformed or non-http(s) address is the server's error, said plainly. */
    static URI redirectTarget(URI base, String location, String file) throws HubException {
        try {
            URI next = base.resolve(location.strip());
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && next.getHost() != null) {
                return next;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new HubException(words -> "the hub redirected " + file + " to an unusable address '" + location
                + "'; check HF_ENDPOINT, or " + words.downloadElsewhere() + ".", null);
    }

    private static boolean isRelative(String location) {
        try {
            return URI.create(location.strip()).getHost() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private FileMetadata head(String repoId, String revision, String file) throws HubException, Fallback {
        URI uri = resolveUri(repoId, revision, file);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> response = send(request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                    HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            HttpHeaders headers = response.headers();
            if (isRedirect(status)) {
                Optional<String> location = headers.firstValue("Location");
                if (location.isEmpty()) {
                    throw notAHub(file, "Location");
                }
                URI next = redirectTarget(uri, location.get(), file);
                // A relative redirect without file metadata is a renamed repo: ask again there. Anything
                // else (the LFS redirect to the CDN) carries the metadata and names the download URL.
                if (headers.firstValue("X-Linked-Etag").isEmpty() && isRelative(location.get())) {
                    uri = next;
                    continue;
                }
                return metadata(file, headers, next, true);
            }
            if (status / 100 == 2) {
                return metadata(file, headers, uri, false);
            }
            throw httpError(status, headers, repoId, revision, file);
        }
        throw new HubException("too many redirects for " + file + " of " + repoId + " at " + settings.endpoint());
    }

    private FileMetadata metadata(String file, HttpHeaders headers, URI downloadUri, boolean redirect)
            throws HubException, Fallback {
        String endpoint = settings.endpoint().toString();
        Optional<String> commitHeader = headers.firstValue("X-Repo-Commit");
        if (commitHeader.isEmpty()) {
            throw notAHub(file, "X-Repo-Commit");
        }
        String commit = commitHeader.get().trim();
        Optional<String> etagHeader = FileMetadata.normalizeEtag(headers.firstValue("X-Linked-Etag"),
                headers.firstValue("ETag"));
        if (etagHeader.isEmpty()) {
            throw notAHub(file, "ETag");
        }
        String etag = etagHeader.get();
        if (!SAFE_ETAG.matcher(etag).matches() || !SAFE_ETAG.matcher(commit).matches()) {
            throw new HubException("the server at " + endpoint + " sent an unusable etag or commit for " + file
                    + "; check HF_ENDPOINT.");
        }
        // A redirect's Content-Length is that of the redirect itself, not of the file.
        long size = longHeader(headers, "X-Linked-Size")
                .orElse(redirect ? -1 : longHeader(headers, "Content-Length").orElse(-1));
        return new FileMetadata(file, commit, etag, size, downloadUri);
    }

    /** An answer without the Hub's headers (a proxy that strips them, a wrong HF_ENDPOINT): a cached copy may serve. */
    private Fallback notAHub(String file, String header) {
        String endpoint = settings.endpoint().toString();
        return new Fallback(HubErrors.notAHubReason(endpoint, file, header),
                HubErrors.notAHub(endpoint, file, header), null);
    }

    /**
     * An error answer to the HEAD, sorted as huggingface_hub's {@code _get_metadata_or_catch_error}
     * does: a missing revision or file is final; anything else (a refusal, a missing repository,
     * server trouble) lets a complete cached copy serve, and is reported only when there is none.
     */
    private HubException httpError(int status, HttpHeaders headers, String repoId, String revision, String file)
            throws Fallback {
        String errorCode = headers.firstValue("X-Error-Code").orElse("").strip();
        String errorMessage = headers.firstValue("X-Error-Message").orElse("").strip();
        if (errorCode.equals("RevisionNotFound") || errorCode.equals("EntryNotFound")) {
            return HubErrors.notFound(repoId, revision, file, errorCode, errorMessage);
        }
        String endpoint = settings.endpoint().toString();
        if (status == 408 || status == 429 || status >= 500) {
            throw new Fallback("HTTP " + status + (errorMessage.isEmpty() ? "" : ": " + errorMessage), null, null);
        }
        HubException error;
        if (status == 401 || status == 403 || errorCode.equals("GatedRepo")) {
            error = HubErrors.accessDenied(settings, repoId, file, status, errorCode, errorMessage);
        } else if (status == 404) {
            error = HubErrors.notFound(repoId, revision, file, errorCode, errorMessage);
        } else {
            error = new HubException("unexpected answer HTTP " + status + " from " + endpoint + " for " + file + " of "
                    + repoId + (errorMessage.isEmpty() ? "" : " (\"" + errorMessage + "\")") + "; try again later.");
        }
        throw new Fallback(HubErrors.refusal(endpoint, file, status, errorCode, errorMessage), error, null);
    }

    /** Puts one file into {@code snapshots/{commit}}, downloading its blob unless the cache has it. */
    private void ensureInSnapshot(String repoId, String commit, FileMetadata meta, DownloadListener listener,
                                  BooleanSupplier cancelled) throws IOException {
        Path inSnapshot = cache.snapshotDir(repoId, commit).resolve(meta.file());
        Path blob = cache.blobFile(repoId, meta.etag());
        if (Files.isRegularFile(inSnapshot) && Files.isRegularFile(blob)) {
            log.debug("{} of {} already cached", meta.file(), repoId);
            return;
        }
        if (!Files.isRegularFile(blob)) {
            download(repoId, meta, listener, cancelled);
        }
        cache.linkSnapshotFile(repoId, commit, meta.file(), meta.etag());
    }

    /** Downloads one blob under a lock, resuming from {@code blobs/{etag}.incomplete} if present. */
    private void download(String repoId, FileMetadata meta, DownloadListener listener, BooleanSupplier cancelled)
            throws IOException {
        Path blob = cache.blobFile(repoId, meta.etag());
        Path partial = cache.incompleteFile(repoId, meta.etag());
        Files.createDirectories(partial.getParent());
        // Same lock path as huggingface_hub; it keeps two of our processes (app and CLI) off one file.
        Path lockFile = cache.root().resolve(".locks").resolve(cache.repoFolder(repoId).getFileName())
                .resolve(meta.etag() + ".lock");
        Files.createDirectories(lockFile.getParent());
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = acquire(lockChannel, meta.file(), cancelled);
            try {
                if (Files.isRegularFile(blob)) {
                    return; // another process finished it while we waited
                }
                try (PartialDownloadNotice notice = PartialDownloadNotice.watch(meta.file(), partial, meta.size())) {
                    new BlobTransfer(this, stallTimeout, retryWait)
                            .run(repoId, meta, partial, listener, cancelled, () -> freshDownloadUri(repoId, meta));
                }
                HubCache.moveAtomically(partial, blob);
                log.info("downloaded {} of {} ({} bytes)", meta.file(), repoId, Files.size(blob));
            } finally {
                lock.release();
            }
        }
    }

    private static FileLock acquire(FileChannel channel, String file, BooleanSupplier cancelled) throws IOException {
        boolean logged = false;
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                // Another thread of this JVM holds it: wait like for another process.
            }
            if (!logged) {
                log.info("waiting for another download of {} to finish", file);
                logged = true;
            }
            if (cancelled.getAsBoolean()) {
                throw new DownloadCancelledException(file);
            }
            sleep(200, file);
        }
    }

    /** The current download address of a file at its commit (a new signed CDN link), if the Hub answers. */
    private Optional<URI> freshDownloadUri(String repoId, FileMetadata meta) throws HubException {
        try {
            FileMetadata again = head(repoId, meta.commit(), meta.file());
            return again.etag().equals(meta.etag()) ? Optional.of(again.downloadUri()) : Optional.empty();
        } catch (Fallback e) {
            return Optional.empty();
        }
    }

    HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(RESPONSE_TIMEOUT)
                .header("User-Agent", "logitscope; java/" + Runtime.version().feature());
        if (settings.token().isPresent() && sameOrigin(uri, settings.endpoint())) {
            builder.header("Authorization", "Bearer " + settings.token().get());
        }
        return builder;
    }

    /** Sends a request; a network failure becomes a {@link Fallback}, an interrupt a cancellation. */
    <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
            throws Fallback, HubException {
        HttpRequest built = request.build();
        try {
            log.debug("{} {}", built.method(), built.uri());
            return http.send(built, handler);
        } catch (IOException e) {
            throw new Fallback(HubErrors.describeNetworkFailure(e), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadCancelledException(built.uri().getPath());
        }
    }

    URI resolveUri(String repoId, String revision, String file) {
        StringBuilder path = new StringBuilder(settings.endpoint().toString())
                .append('/').append(repoId).append("/resolve/").append(encodeSegment(revision));
        for (String segment : file.split("/")) {
            path.append('/').append(encodeSegment(segment));
        }
        return URI.create(path.toString());
    }

    /** Percent-encodes a path segment (a revision such as {@code refs/pr/1} becomes one segment). */
    static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
                && Objects.equals(lower(a.getHost()), lower(b.getHost()))
                && port(a) == port(b);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static OptionalLong longHeader(HttpHeaders headers, String name) {
        Optional<String> value = headers.firstValue(name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.get().trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("closing a response body failed: {}", e.toString());
        }
    }

    static void sleep(long millis, String file) throws DownloadCancelledException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadCancelledException(file);
        }
    }

    /**
     * The Hub's answer about a file could not be had or was a refusal; a complete cached copy may
     * serve instead. {@code error} is what to tell the user when none does; null means "cannot reach".
     */
    static final class Fallback extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;
        final transient HubException error;

        Fallback(String reason, HubException error, Throwable cause) {
            super(reason, cause, false, false);
            this.reason = reason;
            this.error = error;
        }
    }

}
