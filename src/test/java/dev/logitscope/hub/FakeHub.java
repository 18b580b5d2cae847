package dev.logitscope.hub;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the Hugging Face Hub. {@code /{org}/{name}/resolve/{rev}/{file}} answers like
 * the Hub: small files directly with a git-sha1 ETag, "LFS" files with a 302 to {@code /cdn/{sha256}}
 * carrying X-Linked-Etag and X-Linked-Size. GETs honour {@code Range: bytes=N-}. Every request is
 * recorded so tests can assert what went over the wire.
 */
public final class FakeHub implements AutoCloseable {

    record Request(String method, String path, Headers headers) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    private record Entry(byte[] content, boolean lfs) {
    }

    private static final Pattern RESOLVE = Pattern.compile("^/(.+)/resolve/([^/]+)/(.+)$");

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> commits = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Entry>> files = new ConcurrentHashMap<>();
    /** What the CDN serves, by sha256; a test may swap in wrong bytes. */
    private final Map<String, byte[]> cdn = new ConcurrentHashMap<>();
    /** Bytes served instead of a small file's real content. */
    private final Map<String, byte[]> corruptSmallFiles = new ConcurrentHashMap<>();

    volatile boolean ignoreRange;
    volatile String requiredToken;
    /** When set, every resolve request gets this status (a Hub having trouble). */
    volatile int failStatus;
    /** When set, LFS redirects point at this absolute base (another server) instead of a relative path. */
    volatile URI cdnBase;
    /** Serve bodies in slices with a pause, so progress and cancellation can be observed. */
    volatile int sliceBytes = Integer.MAX_VALUE;
    volatile long slicePauseMillis;
    /** When set, a body goes silent (the connection stays open) on reaching this byte of the file. */
    volatile int stallAfterBytes = -1;
    /**
     * When set, LFS files come from a plain-socket CDN that cuts the connection on reaching this
     * byte of the file, {@link #drops} times (HttpServer cannot drop a connection mid-body).
     */
    volatile int dropAtByte = -1;
    final AtomicInteger drops = new AtomicInteger();
    /** The CDN answers this many GETs with S3's "Request has expired" 403 (an expired signed link). */
    final AtomicInteger cdnRefusals = new AtomicInteger();
    /** When set, resolve requests get this status with these headers (e.g. X-Error-Code). */
    volatile int errorStatus;
    volatile Map<String, String> errorHeaders = Map.of();
    /** A proxy that drops X-Repo-Commit from the Hub's answers. */
    volatile boolean stripRepoCommit;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final FlakyCdn flakyCdn;

    public FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // A thread per request: stalled bodies hold theirs until close().
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "fake-hub");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
        flakyCdn = new FlakyCdn();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FakeHub repo(String repoId, String commit) {
        commits.put(repoId, commit);
        files.putIfAbsent(repoId, new ConcurrentHashMap<>());
        return this;
    }

    public FakeHub file(String repoId, String name, byte[] content, boolean lfs) {
        files.get(repoId).put(name, new Entry(content, lfs));
        if (lfs) {
            cdn.put(sha256(content), content);
        }
        return this;
    }

    /** The CDN serves {@code wrong} for the LFS file whose true content is {@code content}. */
    void corruptLfs(byte[] content, byte[] wrong) {
        cdn.put(sha256(content), wrong);
    }

    void corruptSmallFile(String name, byte[] wrong) {
        corruptSmallFiles.put(name, wrong);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method) {
        return requests.stream().filter(r -> r.method().equals(method)).toList();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        flakyCdn.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders()));
            if (path.startsWith("/cdn/")) {
                if (cdnRefusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>"
                            + "<Message>Request has expired</Message><Expires>2026-01-01T00:00:00Z</Expires></Error>")
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/xml");
                    exchange.sendResponseHeaders(403, xml.length);
                    exchange.getResponseBody().write(xml);
                    return;
                }
                byte[] body = cdn.get(path.substring("/cdn/".length()));
                if (body == null) {
                    send(exchange, 404, Map.of());
                } else {
                    serveBytes(exchange, body, Map.of());
                }
                return;
            }
            Matcher m = RESOLVE.matcher(path);
            if (!m.matches()) {
                send(exchange, 404, Map.of());
                return;
            }
            if (failStatus != 0) {
                send(exchange, failStatus, Map.of());
                return;
            }
            if (errorStatus != 0) {
                send(exchange, errorStatus, errorHeaders);
                return;
            }
            if (requiredToken != null
                    && !("Bearer " + requiredToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, Map.of("X-Error-Code", "GatedRepo"));
                return;
            }
            String repoId = m.group(1);
            String revision = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
            String name = URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
            String commit = commits.get(repoId);
            if (commit == null) {
                send(exchange, 404, Map.of("X-Error-Code", "RepoNotFound"));
                return;
            }
            if (!revision.equals("main") && !revision.equals(commit)) {
                send(exchange, 404, Map.of("X-Error-Code", "RevisionNotFound"));
                return;
            }
            Entry entry = files.get(repoId).get(name);
            if (entry == null) {
                send(exchange, 404, Map.of("X-Error-Code", "EntryNotFound"));
                return;
            }
            if (entry.lfs()) {
                String sha = sha256(entry.content());
                URI base = dropAtByte >= 0 ? flakyCdn.base() : cdnBase;
                String location = (base == null ? "" : base.toString()) + "/cdn/" + sha;
                send(exchange, 302, Map.of(
                        "X-Repo-Commit", commit,
                        // The Hub's own ETag on the redirect is not the content hash: X-Linked-Etag must win.
                        "ETag", "W/\"redirect-" + sha.substring(0, 8) + "\"",
                        "X-Linked-Etag", "\"" + sha + "\"",
                        "X-Linked-Size", Long.toString(entry.content().length),
                        "Location", location));
            } else {
                byte[] body = corruptSmallFiles.getOrDefault(name, entry.content());
                serveBytes(exchange, body, Map.of(
                        "X-Repo-Commit", commit,
                        "ETag", "\"" + gitBlobSha1(entry.content()) + "\""));
            }
        }
    }

    private void serveBytes(HttpExchange exchange, byte[] body, Map<String, String> headers) throws IOException {
        Headers out = exchange.getResponseHeaders();
        headers.forEach(out::set);
        if (stripRepoCommit) {
            out.remove("X-Repo-Commit");
        }
        String range = exchange.getRequestHeaders().getFirst("Range");
        int from = 0;
        int status = 200;
        if (range != null && !ignoreRange) {
            from = Integer.parseInt(range.replaceAll("^bytes=(\\d+)-$", "$1"));
            if (from >= body.length) {
                send(exchange, 416, Map.of("Content-Range", "bytes */" + body.length));
                return;
            }
            status = 206;
            out.set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        }
        int length = body.length - from;
        if (exchange.getRequestMethod().equals("HEAD")) {
            out.set("Content-Length", Integer.toString(length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, length);
        try (OutputStream os = exchange.getResponseBody()) {
            for (int at = from; at < body.length; ) {
                int stall = stallAfterBytes;
                if (stall >= 0 && at >= stall) {
                    closed.await(30, TimeUnit.SECONDS); // silence, the connection open
                    return;
                }
                int end = at + Math.min(sliceBytes, body.length - at);
                if (stall > at) {
                    end = Math.min(end, stall);
                }
                os.write(body, at, end - at);
                os.flush();
                at = end;
                if (slicePauseMillis > 0) {
                    Thread.sleep(slicePauseMillis);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client hung up (a cancelled download): nothing to do.
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers) throws IOException {
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, -1);
    }

    static String sha256(byte[] content) {
        return hex("SHA-256", new byte[0], content);
    }

    static String gitBlobSha1(byte[] content) {
        return hex("SHA-1", ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII), content);
    }

    private static String hex(String algorithm, byte[] prefix, byte[] content) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            md.update(prefix);
            md.update(content);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<String> names(List<Request> requests) {
        return Set.copyOf(requests.stream().map(Request::path).toList());
    }

    /** Minimal HTTP/1.1 over a ServerSocket: serves {@link #cdn} with Range, and can really drop a connection. */
    private final class FlakyCdn implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread acceptor;

        FlakyCdn() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::acceptLoop, "flaky-cdn");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    serve(client);
                } catch (IOException e) {
                    // closed, or the client went away
                }
            }
        }

        private void serve(Socket client) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
            String[] requestLine = in.readLine().split(" ");
            Headers headers = new Headers();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                int colon = line.indexOf(':');
                headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
            String path = requestLine[1];
            requests.add(new Request(requestLine[0], path, headers));
            byte[] body = cdn.get(path.substring("/cdn/".length()));
            OutputStream out = client.getOutputStream();
            String range = headers.getFirst("Range");
            int from = range == null ? 0 : Integer.parseInt(range.replaceAll("^bytes=(\\d+)-$", "$1"));
            String head = (range == null ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes "
                    + from + "-" + (body.length - 1) + "/" + body.length + "\r\n")
                    + "Content-Length: " + (body.length - from) + "\r\nConnection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            int end = body.length;
            boolean drop = dropAtByte >= from && drops.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (drop) {
                end = dropAtByte;
            }
            for (int at = from; at < end; at += sliceBytes) {
                out.write(body, at, Math.min(sliceBytes, end - at));
                out.flush();
            }
            // On a drop the socket closes here, short of Content-Length (a FIN: a reset would lose bytes in flight).
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
