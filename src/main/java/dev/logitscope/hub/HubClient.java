package dev.logitscope.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

    private static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");
    /** Etags name files in the cache, so a hostile server must not slip a path through them. */
    private static final Pattern SAFE_ETAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_REDIRECTS = 5;
    private static final int CHUNK = 1 << 20;

    /** No byte for this long and a download counts as stalled (it resumes on the next run). */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    private final HubSettings settings;
    private final HubCache cache;
    private final HttpClient http;
    private final Duration stallTimeout;

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
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cache = new HubCache(settings.cacheDir());
        this.http = Objects.requireNonNull(http, "http");
        this.stallTimeout = Objects.requireNonNull(stallTimeout, "stallTimeout");
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
        checkArguments(repoId, revision, files);
        DownloadListener progress = listener == null ? DownloadListener.NONE : listener;
        BooleanSupplier stop = cancelled == null ? () -> false : cancelled;

        if (settings.offline()) {
            return cache.snapshotFolder(repoId, revision, files).orElseThrow(() -> HubErrors.offline(
                    repoId, cache.missingFiles(repoId, revision, files), files, settings.cacheDir()));
        }

        List<FileMetadata> metadata;
        try {
            metadata = headAll(repoId, revision, files);
        } catch (HubUnreachable e) {
            Optional<Path> cached = cache.snapshotFolder(repoId, revision, files);
            if (cached.isPresent()) {
                log.warn("cannot reach {} ({}); using the cached {} at {}", settings.endpoint(), e.reason,
                        repoId, cached.get());
                return cached.get();
            }
            throw HubErrors.unreachable(settings.endpoint().toString(), e.reason, repoId,
                    cache.missingFiles(repoId, revision, files), files, settings.cacheDir(), e.getCause());
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
            throws HubException, HubUnreachable {
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
    private static URI redirectTarget(URI base, String location, String file) throws HubException {
        try {
            URI next = base.resolve(location.strip());
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && next.getHost() != null) {
                return next;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new HubException("the hub redirected " + file + " to an unusable address '" + location
                + "'; check HF_ENDPOINT, or download the model elsewhere and pass --model /path/to/folder.");
    }

    private static boolean isRelative(String location) {
        try {
            return URI.create(location.strip()).getHost() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private FileMetadata head(String repoId, String revision, String file) throws HubException, HubUnreachable {
        URI uri = resolveUri(repoId, revision, file);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> response = send(request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                    HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            HttpHeaders headers = response.headers();
            if (isRedirect(status)) {
                String location = headers.firstValue("Location")
                        .orElseThrow(() -> HubErrors.notAHub(settings.endpoint().toString(), file, "Location"));
                URI next = redirectTarget(uri, location, file);
                // A relative redirect without file metadata is a renamed repo: ask again there. Anything
                // else (the LFS redirect to the CDN) carries the metadata and names the download URL.
                if (headers.firstValue("X-Linked-Etag").isEmpty() && isRelative(location)) {
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
            throws HubException {
        String endpoint = settings.endpoint().toString();
        String commit = headers.firstValue("X-Repo-Commit")
                .orElseThrow(() -> HubErrors.notAHub(endpoint, file, "X-Repo-Commit")).trim();
        String etag = FileMetadata.normalizeEtag(headers.firstValue("X-Linked-Etag"), headers.firstValue("ETag"))
                .orElseThrow(() -> HubErrors.notAHub(endpoint, file, "ETag"));
        if (!SAFE_ETAG.matcher(etag).matches() || !SAFE_ETAG.matcher(commit).matches()) {
            throw new HubException("the server at " + endpoint + " sent an unusable etag or commit for " + file
                    + "; check HF_ENDPOINT.");
        }
        // A redirect's Content-Length is that of the redirect itself, not of the file.
        long size = longHeader(headers, "X-Linked-Size")
                .orElse(redirect ? -1 : longHeader(headers, "Content-Length").orElse(-1));
        return new FileMetadata(file, commit, etag, size, downloadUri);
    }

    private HubException httpError(int status, HttpHeaders headers, String repoId, String revision, String file)
            throws HubUnreachable {
        String errorCode = headers.firstValue("X-Error-Code").orElse("");
        if (status == 404) {
            return HubErrors.notFound(repoId, revision, file, errorCode);
        }
        if (status == 401 || status == 403) {
            // The Hub answers 401 also for a repository that does not exist, so the message covers both.
            return HubErrors.accessDenied(repoId, file, status, settings.token().isPresent());
        }
        if (status == 429 || status >= 500) {
            // Server trouble is like no network: a complete cache can still serve.
            throw new HubUnreachable("HTTP " + status, null);
        }
        return new HubException("unexpected answer HTTP " + status + " from " + settings.endpoint() + " for " + file
                + " of " + repoId + "; try again later.");
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
                transfer(meta, partial, listener, cancelled);
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

    private void transfer(FileMetadata meta, Path partial, DownloadListener listener, BooleanSupplier cancelled)
            throws IOException {
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        if (meta.size() >= 0 && have > meta.size()) {
            log.warn("partial download of {} is larger than the file; starting over", meta.file());
            Files.delete(partial);
            have = 0;
        }
        Optional<BlobDigest> digest = BlobDigest.forEtag(meta.etag(), meta.size());
        if (have > 0 && digest.isPresent()) {
            digest.get().updateFrom(partial);
        }
        ProgressMeter meter = new ProgressMeter(meta.file(), have, meta.size(), listener, System::nanoTime);
        if (meta.size() < 0 || have < meta.size()) {
            if (have > 0) {
                log.info("resuming {} at byte {}", meta.file(), have);
            }
            receive(meta, partial, have, digest, meter, cancelled);
        }
        meter.finish();
        verify(meta, partial, digest);
    }

    /** GETs the bytes from {@code offset} on and appends them to the partial file. */
    private void receive(FileMetadata meta, Path partial, long offset, Optional<BlobDigest> digest,
                         ProgressMeter meter, BooleanSupplier cancelled) throws IOException {
        HttpResponse<InputStream> response = get(meta.downloadUri(), offset, meta.file());
        if (offset > 0 && response.statusCode() == 416) {
            // Our partial file does not fit the server's file, so it cannot be resumed: start over.
            log.warn("server refused to resume {}; restarting from the beginning", meta.file());
            closeQuietly(response.body());
            offset = 0;
            digest.ifPresent(BlobDigest::reset);
            meter.restart();
            response = get(meta.downloadUri(), 0, meta.file());
        }
        boolean append = offset > 0;
        if (offset > 0 && response.statusCode() == 200) {
            // The server ignored the Range header and sends the whole file: start over.
            log.info("server does not resume downloads; restarting {} from the beginning", meta.file());
            append = false;
            digest.ifPresent(BlobDigest::reset);
            meter.restart();
        } else if (offset > 0 && response.statusCode() == 206) {
            String range = response.headers().firstValue("Content-Range").orElse("");
            if (!range.startsWith("bytes " + offset + "-")) {
                response.body().close();
                Files.deleteIfExists(partial);
                throw new HubException("the server resumed " + meta.file() + " at the wrong place (" + range
                        + "); the partial file was deleted, run the command again");
            }
        }
        StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        byte[] buffer = new byte[CHUNK];
        StallGuard guard = null;
        try (InputStream in = response.body();
             StallGuard watched = new StallGuard(in, stallTimeout, cancelled);
             OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            guard = watched;
            while (true) {
                if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                    throw new DownloadCancelledException(meta.file());
                }
                int n = watched.read(buffer);
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                if (digest.isPresent()) {
                    digest.get().update(buffer, 0, n);
                }
                meter.advance(n);
            }
        } catch (HubException e) {
            throw e;
        } catch (IOException e) {
            if (guard != null && guard.cancelled()) {
                throw new DownloadCancelledException(meta.file());
            }
            if (guard != null && guard.stalled()) {
                throw new HubException("download of " + meta.file() + " stalled: no data for "
                        + stallTimeout.toSeconds() + " s; run the command again to resume it", e);
            }
            throw new HubException("download of " + meta.file() + " was interrupted ("
                    + HubErrors.describeNetworkFailure(e) + "); run the command again to resume it", e);
        }
    }

    /** GET with manual redirects: the token goes only to the Hub's own host, as huggingface_hub does. */
    private HttpResponse<InputStream> get(URI uri, long offset, String file) throws HubException {
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = request(uri).GET();
            if (offset > 0) {
                request.header("Range", "bytes=" + offset + "-");
            }
            HttpResponse<InputStream> response;
            try {
                response = send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (HubUnreachable e) {
                throw new HubException("download of " + file + " failed: cannot reach " + uri.getHost() + " ("
                        + e.reason + "); run the command again to resume it", e.getCause());
            }
            int status = response.statusCode();
            if (isRedirect(status) && response.headers().firstValue("Location").isPresent()) {
                closeQuietly(response.body());
                uri = redirectTarget(uri, response.headers().firstValue("Location").get(), file);
                continue;
            }
            if (status == 200 || status == 206 || (status == 416 && offset > 0)) {
                return response;
            }
            closeQuietly(response.body());
            if (status == 401 || status == 403) {
                throw new HubException("download of " + file + " refused by " + uri.getHost() + " (HTTP " + status
                        + "); if the model is gated, set HF_TOKEN to a token with access, then run the command again");
            }
            throw new HubException("download of " + file + " failed with HTTP " + status + " from " + uri.getHost()
                    + "; run the command again to resume it");
        }
        throw new HubException("too many redirects while downloading " + file);
    }

    private static void verify(FileMetadata meta, Path partial, Optional<BlobDigest> digest) throws IOException {
        long actual = Files.size(partial);
        if (meta.size() >= 0 && actual != meta.size()) {
            Files.deleteIfExists(partial);
            throw HubErrors.wrongSize(meta.file(), meta.size(), actual);
        }
        if (digest.isPresent() && !digest.get().matches(partial)) {
            Files.deleteIfExists(partial);
            throw HubErrors.corrupt(meta.file(), digest.get().algorithm());
        }
        if (digest.isEmpty()) {
            log.debug("etag {} of {} is not a content hash; size checked only", meta.etag(), meta.file());
        }
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(RESPONSE_TIMEOUT)
                .header("User-Agent", "logitscope; java/" + Runtime.version().feature());
        if (settings.token().isPresent() && sameOrigin(uri, settings.endpoint())) {
            builder.header("Authorization", "Bearer " + settings.token().get());
        }
        return builder;
    }

    /** Sends a request; a network failure becomes {@link HubUnreachable}, an interrupt a cancellation. */
    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
            throws HubUnreachable, HubException {
        HttpRequest built = request.build();
        try {
            log.debug("{} {}", built.method(), built.uri());
            return http.send(built, handler);
        } catch (IOException e) {
            throw new HubUnreachable(HubErrors.describeNetworkFailure(e), e);
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

    private static boolean isRedirect(int status) {
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

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("closing a response body failed: {}", e.toString());
        }
    }

    private static void sleep(long millis, String file) throws DownloadCancelledException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadCancelledException(file);
        }
    }

    /** The Hub could not be asked (no network, DNS, timeout, server error); a complete cache may still serve. */
    private static final class HubUnreachable extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;

        HubUnreachable(String reason, Throwable cause) {
            super(reason, cause, false, false);
            this.reason = reason;
        }
    }
}
