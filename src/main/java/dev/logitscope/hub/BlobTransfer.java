package dev.logitscope.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills one blob's partial file from its download link and verifies it: resumable with Range,
 * retried in-process after a drop, the token sent only to the Hub's own host (via
 * {@link HubClient#request}). The caller holds the blob's lock and moves the file into place.
 */
final class BlobTransfer {

    private static final Logger log = LoggerFactory.getLogger(BlobTransfer.class);
    private static final int CHUNK = 1 << 20;
    private static final int MAX_REDIRECTS = HubClient.MAX_REDIRECTS;
    /** huggingface_hub's http_get: 5 resumes in a row without new data before giving up. */
    static final int MAX_RETRIES = 5;

    /** A new download link for the same blob, when the old one was refused; empty if the Hub will not say. */
    @FunctionalInterface
    interface LinkRenewer {
        Optional<URI> freshLink() throws HubException;
    }

    private final HubClient client;
    private final HubSettings settings;
    private final Duration stallTimeout;
    private final Duration retryWait;

    BlobTransfer(HubClient client, Duration stallTimeout, Duration retryWait) {
        this.client = client;
        this.settings = client.settings();
        this.stallTimeout = stallTimeout;
        this.retryWait = retryWait;
    }

    /**
     * Fills the partial file, resuming with a Range request after a dropped connection, a stall or
     * server trouble, as huggingface_hub's {@code http_get} does: up to {@link #MAX_RETRIES} times in a
     * row without new data, the count starting afresh whenever bytes arrive. A refused CDN link is
     * replaced once by a fresh one from the Hub (signed links expire, e.g. an hour after the HEAD).
     */
    void run(String repoId, FileMetadata meta, Path partial, DownloadListener listener, BooleanSupplier cancelled,
             LinkRenewer renewer) throws IOException {
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
        if (have > 0 && have < meta.size()) {
            log.info("resuming {} at byte {}", meta.file(), have);
        }
        URI link = meta.downloadUri();
        boolean freshLink = false;
        int retriesLeft = MAX_RETRIES;
        while (meta.size() < 0 || have < meta.size()) {
            try {
                receive(repoId, meta, link, partial, have, digest, meter, cancelled);
                long got = Files.exists(partial) ? Files.size(partial) : 0;
                if (meta.size() < 0 || got >= meta.size()) {
                    break;
                }
                throw new Dropped("the connection closed after " + got + " of " + meta.size() + " bytes", null);
            } catch (Dropped dropped) {
                long now = Files.exists(partial) ? Files.size(partial) : 0;
                if (now > have) {
                    retriesLeft = MAX_RETRIES;
                }
                have = now;
                if (retriesLeft == 0) {
                    throw HubErrors.dropped(meta.file(), dropped.reason, MAX_RETRIES, have, meta.size(),
                            dropped.getCause());
                }
                retriesLeft--;
                log.warn("download of {} interrupted at {} ({}); resuming (retry {} of {})", meta.file(),
                        HubErrors.megabytes(have), dropped.reason, MAX_RETRIES - retriesLeft, MAX_RETRIES);
                if (cancelled.getAsBoolean()) {
                    throw new DownloadCancelledException(meta.file());
                }
                HubClient.sleep(retryWait.toMillis(), meta.file());
            } catch (LinkRefused refused) {
                if (freshLink) {
                    throw refused.error;
                }
                freshLink = true;
                log.warn("the download link of {} was refused ({}); asking {} for a fresh one", meta.file(),
                        refused.detail, settings.endpoint());
                link = renewer.freshLink().orElseThrow(() -> refused.error);
                have = Files.exists(partial) ? Files.size(partial) : 0;
            }
        }
        meter.finish();
        verify(meta, partial, digest);
    }

    /**
     * GETs the bytes from {@code offset} on and appends them to the partial file. Returns when the
     * body ends; a failure the next attempt may overcome is a {@link Dropped}.
     */
    private void receive(String repoId, FileMetadata meta, URI link, Path partial, long offset, Optional<BlobDigest> digest,
                         ProgressMeter meter, BooleanSupplier cancelled) throws IOException, Dropped, LinkRefused {
        HttpResponse<InputStream> response = get(repoId, link, offset, meta.file());
        if (offset > 0 && response.statusCode() == 416) {
            // Our partial file does not fit the server's file, so it cannot be resumed: start over.
            log.warn("server refused to resume {}; restarting from the beginning", meta.file());
            HubClient.closeQuietly(response.body());
            offset = 0;
            digest.ifPresent(BlobDigest::reset);
            meter.restart();
            response = get(repoId, link, 0, meta.file());
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
                HubClient.closeQuietly(response.body());
                Files.deleteIfExists(partial);
                throw new HubException("the server resumed " + meta.file() + " at the wrong place (" + range
                        + "); the partial file was deleted, run the command again");
            }
        }
        StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = response.body();
             StallGuard watched = new StallGuard(in, stallTimeout, cancelled);
             OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            while (true) {
                if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                    throw new DownloadCancelledException(meta.file());
                }
                int n;
                try {
                    n = watched.read(buffer);
                } catch (IOException e) {
                    if (watched.cancelled() || Thread.currentThread().isInterrupted()) {
                        throw new DownloadCancelledException(meta.file());
                    }
                    if (watched.stalled()) {
                        throw new Dropped("stalled: no data for " + (stallTimeout.toMillis() >= 1000
                                ? stallTimeout.toSeconds() + " s" : stallTimeout.toMillis() + " ms"), e);
                    }
                    throw new Dropped(HubErrors.describeNetworkFailure(e), e);
                }
                if (n < 0) {
                    break;
                }
                // Written before it is hashed: after a failed write the digest has not seen the bytes either.
                out.write(buffer, 0, n);
                if (digest.isPresent()) {
                    digest.get().update(buffer, 0, n);
                }
                meter.advance(n);
            }
        }
    }

    /** GET with manual redirects: the token goes only to the Hub's own host, as huggingface_hub does. */
    private HttpResponse<InputStream> get(String repoId, URI uri, long offset, String file) throws HubException, Dropped, LinkRefused {
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = client.request(uri).GET();
            if (offset > 0) {
                request.header("Range", "bytes=" + offset + "-");
            }
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (HubClient.Fallback e) {
                throw new Dropped("cannot reach " + uri.getHost() + ": " + e.reason, e.getCause());
            }
            int status = response.statusCode();
            if (HubClient.isRedirect(status) && response.headers().firstValue("Location").isPresent()) {
                HubClient.closeQuietly(response.body());
                uri = HubClient.redirectTarget(uri, response.headers().firstValue("Location").get(), file);
                continue;
            }
            if (status == 200 || status == 206 || (status == 416 && offset > 0)) {
                return response;
            }
            String detail = ErrorDetail.read(response);
            HttpHeaders headers = response.headers();
            if ((status == 401 || status == 403) && HubClient.sameOrigin(uri, settings.endpoint())) {
                // The Hub itself refused: the token (or its absence) is the question.
                throw HubErrors.accessDenied(settings, repoId, file, status,
                        headers.firstValue("X-Error-Code").orElse("").strip(),
                        headers.firstValue("X-Error-Message").orElse("").strip());
            }
            if (status == 401 || status == 403) {
                throw new LinkRefused(detail.isBlank() ? "HTTP " + status : "HTTP " + status + ": " + detail,
                        HubErrors.linkRefused(file, uri.getHost(), status, detail));
            }
            if (status == 408 || status == 429 || status >= 500) {
                throw new Dropped("HTTP " + status + " from " + uri.getHost()
                        + (detail.isBlank() ? "" : ": " + detail), null);
            }
            throw new HubException("download of " + file + " failed with HTTP " + status + " from " + uri.getHost()
                    + (detail.isBlank() ? "" : " (" + detail + ")") + "; run the command again to resume it");
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

    /** A transfer that broke off (connection dropped, stalled, server trouble): resume it. */
    private static final class Dropped extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;

        Dropped(String reason, Throwable cause) {
            super(reason, cause, false, false);
            this.reason = reason;
        }
    }

    /** The CDN refused a signed download link; {@code error} is the message if a fresh link fails too. */
    private static final class LinkRefused extends Exception {
        private static final long serialVersionUID = 1L;
        final String detail;
        final transient HubException error;

        LinkRefused(String detail, HubException error) {
            super(detail, null, false, false);
            this.detail = detail;
            this.error = error;
        }
    }
}
