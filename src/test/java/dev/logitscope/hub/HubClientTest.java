package dev.logitscope.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubClientTest {

    static final String REPO = "openai-community/gpt2";
    static final String COMMIT = "607a30d783dfa663caf39e06633721c8d4cfcd7e";
    static final List<String> FILES = ModelRepoFiles.DEFAULT;

    static final byte[] CONFIG = "{\"n_layer\": 12, \"n_embd\": 768}\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] TOKENIZER = "{\"model\": {\"type\": \"BPE\"}}\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] WEIGHTS = randomBytes(3_000_000, 42);

    @TempDir
    Path temp;
    FakeHub hub;
    Path cacheDir;

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub().repo(REPO, COMMIT)
                .file(REPO, "config.json", CONFIG, false)
                .file(REPO, "tokenizer.json", TOKENIZER, false)
                .file(REPO, "model.safetensors", WEIGHTS, true);
        cacheDir = temp.resolve("hub");
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    HubClient client(boolean offline) {
        return new HubClient(new HubSettings(hub.endpoint(), cacheDir, Optional.empty(), offline));
    }

    @Test
    void aStalledDownloadEndsWithAClearMessageAndResumesLater() throws IOException {
        hub.sliceBytes = 16_384;
        hub.stallAfterBytes = WEIGHTS.length / 2; // half the file, then silence with the connection open
        HubClient impatient = patientClient(Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThatThrownBy(() -> impatient.fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class).hasMessageContaining("stalled").hasMessageContaining("resume");
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the stall is noticed").isLessThan(10_000);

        hub.stallAfterBytes = -1;
        Path snapshot = client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);
        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(WEIGHTS);
        assertThat(hub.requests("GET").stream().anyMatch(r -> r.headers().getFirst("Range") != null)).as("resumed with a Range request").isTrue();
    }

    HubClient patientClient(Duration stall) {
        return new HubClient(new HubSettings(hub.endpoint(), cacheDir, Optional.empty(), false),
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(), stall, Duration.ofMillis(20));
    }

    @Test
    void aDroppedConnectionIsResumedInProcessWithRange() throws IOException {
        hub.sliceBytes = 65_536;
        hub.dropAtByte = WEIGHTS.length / 3;
        hub.drops.set(3); // three cuts in a row at the same byte: within the retries

        Path snapshot = patientClient(Duration.ofSeconds(30)).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(WEIGHTS);
        List<FakeHub.Request> cdnGets = hub.requests("GET").stream()
                .filter(r -> r.path().equals("/cdn/" + FakeHub.sha256(WEIGHTS))).toList();
        // One GET per cut plus the one that finished; every retry resumes where the file ended (the client
        // may lose the last bytes before a cut, so "where it ended" can be a little short of the cut).
        assertThat(cdnGets).hasSize(4);
        assertThat(cdnGets.get(0).header("Range")).isNull();
        long previous = 0;
        for (FakeHub.Request retry : cdnGets.subList(1, 4)) {
            long from = rangeStart(retry);
            assertThat(from).isPositive().isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(WEIGHTS.length / 3);
            previous = from;
        }
    }

    static long rangeStart(FakeHub.Request request) {
        String range = request.header("Range");
        assertThat(range).matches("bytes=\\d+-");
        return Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
    }

    @Test
    void aConnectionThatKeepsDroppingEndsWithAClearMessageAndKeepsThePartialFile() throws IOException {
        hub.sliceBytes = 65_536;
        hub.dropAtByte = WEIGHTS.length / 3;
        hub.drops.set(1000);
        String sha = FakeHub.sha256(WEIGHTS);

        assertThatThrownBy(() -> patientClient(Duration.ofSeconds(30)).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("download of model.safetensors was interrupted")
                .hasMessageContaining("failed " + BlobTransfer.MAX_RETRIES + " times")
                .hasMessageContaining("run the command again to resume it");
        // Attempts that bring bytes start the count afresh; then MAX_RETRIES resumes that bring none (so all
        // from the same byte, which is where the partial file ends), and no more.
        List<FakeHub.Request> gets = hub.requests("GET").stream().filter(r -> r.path().equals("/cdn/" + sha)).toList();
        List<FakeHub.Request> fruitless = gets.subList(gets.size() - BlobTransfer.MAX_RETRIES, gets.size());
        long kept = rangeStart(fruitless.get(0));
        assertThat(fruitless).allSatisfy(r -> assertThat(rangeStart(r)).isEqualTo(kept));
        FakeHub.Request lastFruitful = gets.get(gets.size() - BlobTransfer.MAX_RETRIES - 1);
        assertThat(lastFruitful.header("Range") == null ? 0 : rangeStart(lastFruitful)).isLessThan(kept);
        assertThat(kept).isLessThanOrEqualTo(WEIGHTS.length / 3);
        assertThat(Files.size(repoDir().resolve("blobs").resolve(sha + ".incomplete"))).isEqualTo(kept);

        hub.drops.set(0);
        Path snapshot = client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);
        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(WEIGHTS);
    }

    void fillCacheLikePython() throws IOException {
        PythonCache.write(cacheDir, REPO, COMMIT, "main", List.of(
                new PythonCache.File("config.json", CONFIG, FakeHub.gitBlobSha1(CONFIG)),
                new PythonCache.File("model.safetensors", WEIGHTS, FakeHub.sha256(WEIGHTS)),
                new PythonCache.File("tokenizer.json", TOKENIZER, FakeHub.gitBlobSha1(TOKENIZER))));
    }

    HubClient clientWithToken(String token, String source) {
        return new HubClient(new HubSettings(hub.endpoint(), cacheDir, Optional.of(token), false, source));
    }

    /** Collects the notices a fetch gives its listener. */
    static final class Notices implements DownloadListener {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void onProgress(DownloadProgress progress) {
        }

        @Override
        public void onNotice(String message) {
            messages.add(message);
        }
    }

    static final String GATED_MESSAGE = "Access to model openai-community/gpt2 is restricted. You must have access to it"
            + " and be authenticated to access it. Please log in.";

    @Test
    void aGatedRefusalWithTheFilesCachedUsesTheCacheAndSaysWhy() throws IOException {
        fillCacheLikePython();
        hub.errorStatus = 401;
        hub.errorHeaders = java.util.Map.of("X-Error-Code", "GatedRepo", "X-Error-Message", GATED_MESSAGE);
        Notices notices = new Notices();

        Path snapshot = clientWithToken("hf_expired", "HF_TOKEN").fetch(REPO, "main", FILES, notices, () -> false);

        assertThat(snapshot).isEqualTo(repoDir().resolve("snapshots").resolve(COMMIT));
        assertThat(notices.messages).singleElement().asString()
                .contains("answered HTTP 401 (GatedRepo) for config.json: \"" + GATED_MESSAGE + "\"")
                .contains("using the copy of " + REPO + " already in the cache")
                .contains("may not be the latest");
        assertThat(hub.requests("GET")).isEmpty();
    }

    @Test
    void serverTroubleWithTheFilesCachedSaysThatTheCacheServes() throws IOException {
        fillCacheLikePython();
        hub.errorStatus = 502;
        Notices notices = new Notices();

        assertThat(client(false).fetch(REPO, "main", FILES, notices, () -> false))
                .isEqualTo(repoDir().resolve("snapshots").resolve(COMMIT));
        assertThat(notices.messages).singleElement().asString()
                .contains("cannot reach " + hub.endpoint() + " (HTTP 502)").contains("already in the cache");
    }

    @Test
    void aProxyThatStripsXRepoCommitFallsBackToTheCache() throws IOException {
        hub.stripRepoCommit = true;
        assertThatThrownBy(() -> client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("did not answer like the Hugging Face Hub")
                .hasMessageContaining("no X-Repo-Commit header")
                .hasMessageContaining("proxy");

        fillCacheLikePython();
        Notices notices = new Notices();
        assertThat(client(false).fetch(REPO, "main", FILES, notices, () -> false))
                .isEqualTo(repoDir().resolve("snapshots").resolve(COMMIT));
        assertThat(notices.messages).singleElement().asString()
                .contains("no X-Repo-Commit header").contains("already in the cache");
    }

    @Test
    void aGatedRepoWithoutACacheSaysWhatToDoWithOrWithoutAToken() {
        hub.errorStatus = 401;
        hub.errorHeaders = java.util.Map.of("X-Error-Code", "GatedRepo", "X-Error-Message", GATED_MESSAGE);

        assertThatThrownBy(() -> client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining(REPO + " is a gated model")
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("no token was sent")
                .hasMessageContaining("Accept the model's terms at " + hub.endpoint() + "/" + REPO)
                .hasMessageContaining("set HF_TOKEN")
                .hasMessageContaining("The Hub says: \"" + GATED_MESSAGE + "\"");

        hub.errorStatus = 403;
        assertThatThrownBy(() -> clientWithToken("hf_x", "HUGGING_FACE_HUB_TOKEN")
                .fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining(REPO + " is a gated model")
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("the token from HUGGING_FACE_HUB_TOKEN has no access to it");
    }

    @Test
    void aTokenTheHubDoesNotKnowIsCalledRejectedNotMissing() {
        hub.errorStatus = 401;
        hub.errorHeaders = java.util.Map.of("X-Error-Message", "Invalid credentials in Authorization header");

        assertThatThrownBy(() -> clientWithToken("hf_revoked", "the token file /home/a/.cache/huggingface/token")
                .fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("the token from the token file /home/a/.cache/huggingface/token was rejected")
                .hasMessageContaining("expired, revoked or mistyped")
                .hasMessageNotContaining("hf_revoked");
    }

    @Test
    void aRepoNotFoundCodeOnA401IsReportedAsNotFound() {
        hub.errorStatus = 401;
        hub.errorHeaders = java.util.Map.of("X-Error-Code", "RepoNotFound", "X-Error-Message", "Repository not found");

        assertThatThrownBy(() -> client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("repository " + REPO + " not found or not accessible (HTTP 401)")
                .hasMessageContaining("Check the model name")
                .hasMessageContaining("The Hub says: \"Repository not found\"");
    }

    @Test
    void aMissingRevisionIsFinalEvenWithTheBranchCached() throws IOException {
        // As huggingface_hub: RevisionNotFound / EntryNotFound are answers, not trouble; the cache does not hide them.
        fillCacheLikePython();
        hub.errorStatus = 404;
        hub.errorHeaders = java.util.Map.of("X-Error-Code", "RevisionNotFound");

        assertThatThrownBy(() -> client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("revision 'main' not found in " + REPO);
    }

    @Test
    void aPinnedCommitAlreadyCachedNeedsNoRequest() throws IOException {
        fillCacheLikePython();

        assertThat(client(false).fetch(REPO, COMMIT, FILES, DownloadListener.NONE, () -> false))
                .isEqualTo(repoDir().resolve("snapshots").resolve(COMMIT));
        assertThat(hub.requests()).isEmpty();
    }

    /** The LFS redirect goes to another origin (here the same server under another host name), as the Hub's does. */
    void cdnOnAnotherHost() {
        hub.cdnBase = URI.create("http://localhost:" + hub.endpoint().getPort());
    }

    @Test
    void anExpiredCdnLinkIsReplacedByAFreshOne() throws IOException {
        cdnOnAnotherHost();
        hub.cdnRefusals.set(1);

        Path snapshot = clientWithToken("hf_fine", "HF_TOKEN").fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(WEIGHTS);
        assertThat(hub.requests("HEAD")).filteredOn(r -> r.path().endsWith("/model.safetensors")).hasSize(2);
        assertThat(hub.requests("HEAD")).filteredOn(r -> r.path().endsWith("/model.safetensors"))
                .last().satisfies(r -> assertThat(r.path()).contains("/resolve/" + COMMIT + "/"));
    }

    @Test
    void aCdnThatKeepsRefusingTheLinkIsNotCalledATokenProblem() {
        cdnOnAnotherHost();
        hub.cdnRefusals.set(100);

        assertThatThrownBy(() -> clientWithToken("hf_fine", "HF_TOKEN")
                .fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("refused the download link of model.safetensors (HTTP 403: Request has expired)")
                .hasMessageContaining("not a token problem")
                .hasMessageContaining("run the command again")
                .hasMessageNotContaining("set HF_TOKEN");
    }

    Path repoDir() {
        return cacheDir.resolve("models--openai-community--gpt2");
    }

    @Test
    void freshDownloadLaysOutTheCacheLikeHuggingfaceHub() throws IOException {
        Path snapshot = client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);

        Path repo = repoDir();
        assertThat(snapshot).isEqualTo(repo.resolve("snapshots").resolve(COMMIT));
        assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(COMMIT);
        try (Stream<Path> blobs = Files.list(repo.resolve("blobs"))) {
            assertThat(blobs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    FakeHub.gitBlobSha1(CONFIG), FakeHub.gitBlobSha1(TOKENIZER), FakeHub.sha256(WEIGHTS));
        }
        try (Stream<Path> files = Files.list(snapshot)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(FILES);
        }
        Path weights = snapshot.resolve("model.safetensors");
        assertThat(Files.isSymbolicLink(weights)).isTrue();
        assertThat(Files.readSymbolicLink(weights)).isEqualTo(Path.of("..", "..", "blobs", FakeHub.sha256(WEIGHTS)));
        assertThat(Files.readSymbolicLink(snapshot.resolve("config.json")))
                .isEqualTo(Path.of("..", "..", "blobs", FakeHub.gitBlobSha1(CONFIG)));
        assertThat(Files.readAllBytes(weights)).isEqualTo(WEIGHTS);
        assertThat(Files.readAllBytes(snapshot.resolve("tokenizer.json"))).isEqualTo(TOKENIZER);

        // The LFS file was fetched from the CDN the redirect named, with no Range header.
        assertThat(hub.requests("GET")).extracting(FakeHub.Request::path)
                .contains("/cdn/" + FakeHub.sha256(WEIGHTS));
        assertThat(hub.requests("GET")).allSatisfy(r -> assertThat(r.header("Range")).isNull());
    }

    @Test
    void secondFetchDownloadsNothing() throws IOException {
        client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);
        int before = hub.requests("GET").size();

        client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);

        assertThat(hub.requests("GET")).hasSize(before);
    }

    @Test
    void progressIsMonotonicAndEndsAtTheTotal() throws IOException {
        hub.sliceBytes = 200_000;
        hub.slicePauseMillis = 40;
        List<DownloadProgress> events = new CopyOnWriteArrayList<>();

        client(false).fetch(REPO, "main", FILES, events::add, () -> false);

        List<DownloadProgress> weights = events.stream().filter(p -> p.file().equals("model.safetensors")).toList();
        assertThat(weights.size()).isGreaterThan(2);
        for (int i = 1; i < weights.size(); i++) {
            assertThat(weights.get(i).bytesDone()).isGreaterThanOrEqualTo(weights.get(i - 1).bytesDone());
        }
        DownloadProgress last = weights.get(weights.size() - 1);
        assertThat(last.bytesDone()).isEqualTo(WEIGHTS.length);
        assertThat(last.totalBytes()).isEqualTo(WEIGHTS.length);
        assertThat(last.complete()).isTrue();
        assertThat(weights).allSatisfy(p -> assertThat(p.totalBytes()).isEqualTo(WEIGHTS.length));
        assertThat(weights.get(0).bytesPerSecond()).isPositive();
        assertThat(weights.get(0).eta()).isNotNull();
        // Throttled: ~600 ms of transfer gives a handful of events, not one per chunk.
        assertThat(weights.size()).isLessThan(30);
    }

    @Test
    void resumesFromAnIncompleteBlobWithARangeRequest() throws IOException {
        String sha = FakeHub.sha256(WEIGHTS);
        Path partial = repoDir().resolve("blobs").resolve(sha + ".incomplete");
        Files.createDirectories(partial.getParent());
        Files.write(partial, Arrays.copyOf(WEIGHTS, WEIGHTS.length / 2));
        List<DownloadProgress> events = new CopyOnWriteArrayList<>();

        Path snapshot = client(false).fetch(REPO, "main", FILES, events::add, () -> false);

        assertThat(hub.requests("GET")).filteredOn(r -> r.path().equals("/cdn/" + sha))
                .singleElement()
                .satisfies(r -> assertThat(r.header("Range")).isEqualTo("bytes=" + WEIGHTS.length / 2 + "-"));
        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(WEIGHTS);
        assertThat(partial).doesNotExist();
        assertThat(events).filteredOn(p -> p.file().equals("model.safetensors"))
                .allSatisfy(p -> assertThat(p.bytesDone()).isGreaterThanOrEqualTo(WEIGHTS.length / 2));
    }

    @Test
    void restartsWhenTheServerIgnoresTheRange() throws IOException {
        hub.ignoreRange = true;
        String sha = FakeHub.sha256(WEIGHTS);
        Path partial = repoDir().resolve("blobs").resolve(sha + ".incomplete");
        Files.createDirectories(partial.getParent());
        Files.write(partial, Arrays.copyOf(WEIGHTS, 1000));

        Path snapshot = client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(WEIGHTS);
    }

    @Test
    void restartsWhenThePartialFileDoesNotFit() throws IOException {
        // A partial as long as the file but with wrong bytes: nothing to resume, the check must catch it.
        String sha = FakeHub.sha256(WEIGHTS);
        Path partial = repoDir().resolve("blobs").resolve(sha + ".incomplete");
        Files.createDirectories(partial.getParent());
        Files.write(partial, new byte[WEIGHTS.length + 10]);

        Path snapshot = client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(WEIGHTS);
    }

    @Test
    void corruptLfsDownloadIsDeletedWithAClearMessage() {
        byte[] wrong = WEIGHTS.clone();
        wrong[12345] ^= 1;
        hub.corruptLfs(WEIGHTS, wrong);
        String sha = FakeHub.sha256(WEIGHTS);

        assertThatThrownBy(() -> client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("model.safetensors is corrupt (sha256 mismatch), deleted; run the command again");
        assertThat(repoDir().resolve("blobs").resolve(sha)).doesNotExist();
        assertThat(repoDir().resolve("blobs").resolve(sha + ".incomplete")).doesNotExist();
        assertThat(repoDir().resolve("refs/main")).doesNotExist();
    }

    @Test
    void corruptSmallFileFailsTheGitBlobCheck() {
        hub.corruptSmallFile("config.json", "{\"n_layer\": 13, \"n_embd\": 768}\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("config.json is corrupt (git sha1 mismatch)");
        assertThat(repoDir().resolve("blobs").resolve(FakeHub.gitBlobSha1(CONFIG))).doesNotExist();
    }

    @Test
    void cancellationKeepsThePartialFileForALaterResume() throws IOException {
        hub.sliceBytes = 100_000;
        hub.slicePauseMillis = 20;
        AtomicInteger checks = new AtomicInteger();
        String sha = FakeHub.sha256(WEIGHTS);
        Path partial = repoDir().resolve("blobs").resolve(sha + ".incomplete");

        assertThatThrownBy(() -> client(false).fetch(REPO, "main", FILES, DownloadListener.NONE,
                () -> Files.exists(partial) && checks.incrementAndGet() > 5))
                .isInstanceOf(DownloadCancelledException.class)
                .hasMessageContaining("model.safetensors");
        assertThat(Files.size(partial)).isPositive().isLessThan(WEIGHTS.length);
        assertThat(repoDir().resolve("refs/main")).doesNotExist();

        hub.stallAfterBytes = -1;
        Path snapshot = client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);
        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(WEIGHTS);
        assertThat(hub.requests("GET")).anySatisfy(r -> assertThat(r.header("Range")).isNotNull());
    }

    @Test
    void offlineWithACompleteCacheSendsNoRequest() throws IOException {
        Path online = client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);
        int before = hub.requests().size();

        Path offline = client(true).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);

        assertThat(offline).isEqualTo(online);
        assertThat(hub.requests()).hasSize(before);
    }

    @Test
    void offlineWithAMissingFileListsItAndNamesTheSetting() throws IOException {
        client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);
        Files.delete(repoDir().resolve("snapshots").resolve(COMMIT).resolve("tokenizer.json"));
        int before = hub.requests().size();

        assertThatThrownBy(() -> client(true).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("HF_HUB_OFFLINE")
                .hasMessageContaining("lacks tokenizer.json of openai-community/gpt2")
                .hasMessageContaining("./logitscope download openai-community/gpt2")
                .hasMessageContaining("path of a local folder");
        assertThat(hub.requests()).hasSize(before);
    }

    @Test
    void offlineWithAnEmptyCacheListsAllFiles() {
        assertThatThrownBy(() -> client(true).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .hasMessageContaining("lacks config.json, model.safetensors, tokenizer.json of " + REPO);
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void reusesACacheWrittenByPythonWithoutDownloading() throws IOException {
        PythonCache.write(cacheDir, REPO, COMMIT, "main", List.of(
                new PythonCache.File("config.json", CONFIG, FakeHub.gitBlobSha1(CONFIG)),
                new PythonCache.File("model.safetensors", WEIGHTS, FakeHub.sha256(WEIGHTS)),
                new PythonCache.File("tokenizer.json", TOKENIZER, FakeHub.gitBlobSha1(TOKENIZER))));
        Path expected = repoDir().resolve("snapshots").resolve(COMMIT);

        assertThat(client(true).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false)).isEqualTo(expected);
        assertThat(hub.requests()).isEmpty();

        // Online, the Hub still names the same commit: only HEADs, no downloads.
        assertThat(client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false)).isEqualTo(expected);
        assertThat(hub.requests("GET")).isEmpty();
        assertThat(hub.requests("HEAD")).hasSize(3);

        // Online but the network is down: the complete cache serves, with a warning in the log.
        HubClient unreachable = new HubClient(new HubSettings(closedPortEndpoint(), cacheDir, Optional.empty(), false));
        assertThat(unreachable.fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false)).isEqualTo(expected);
    }

    @Test
    void serverTroubleFallsBackToACompleteCacheOnly() throws IOException {
        hub.failStatus = 503;
        assertThatThrownBy(() -> client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("cannot reach " + hub.endpoint() + " (HTTP 503)")
                .hasMessageContaining("lacks config.json, model.safetensors, tokenizer.json");

        PythonCache.write(cacheDir, REPO, COMMIT, "main", List.of(
                new PythonCache.File("config.json", CONFIG, FakeHub.gitBlobSha1(CONFIG)),
                new PythonCache.File("model.safetensors", WEIGHTS, FakeHub.sha256(WEIGHTS)),
                new PythonCache.File("tokenizer.json", TOKENIZER, FakeHub.gitBlobSha1(TOKENIZER))));
        assertThat(client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isEqualTo(repoDir().resolve("snapshots").resolve(COMMIT));
    }

    @Test
    void newCommitOnTheHubReusesBlobsThatDidNotChange() throws IOException {
        client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);
        String newCommit = "1111111111111111111111111111111111111111";
        byte[] newConfig = "{\"n_layer\": 12}\n".getBytes(StandardCharsets.UTF_8);
        hub.repo(REPO, newCommit).file(REPO, "config.json", newConfig, false);
        int getsBefore = hub.requests("GET").size();

        Path snapshot = client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);

        assertThat(snapshot.getFileName().toString()).isEqualTo(newCommit);
        assertThat(Files.readString(repoDir().resolve("refs/main"))).isEqualTo(newCommit);
        assertThat(Files.readAllBytes(snapshot.resolve("config.json"))).isEqualTo(newConfig);
        assertThat(hub.requests("GET")).hasSize(getsBefore + 1);
        // The old snapshot stays intact for anyone pinned to it.
        assertThat(Files.readAllBytes(repoDir().resolve("snapshots").resolve(COMMIT).resolve("config.json")))
                .isEqualTo(CONFIG);
    }

    @Test
    void sendsTheTokenAsBearerButNotToAForeignCdn() throws IOException {
        try (FakeHub cdn = new FakeHub()) {
            cdn.repo("x/y", COMMIT).file("x/y", "model.safetensors", WEIGHTS, true);
            hub.cdnBase = URI.create("http://localhost:" + cdn.endpoint().getPort());
            hub.requiredToken = "hf_secret";
            HubClient client = new HubClient(new HubSettings(hub.endpoint(), cacheDir, Optional.of("hf_secret"), false));

            Path snapshot = client.fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false);

            assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(WEIGHTS);
            assertThat(hub.requests()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer hf_secret"));
            assertThat(cdn.requests()).singleElement()
                    .satisfies(r -> assertThat(r.header("Authorization")).isNull());
        }
    }

    @Test
    void missingTokenForAGatedModelMentionsHfToken() {
        hub.requiredToken = "hf_secret";

        assertThatThrownBy(() -> client(false).fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("set HF_TOKEN");
    }

    @Test
    void unreachableEndpointWithAnEmptyCacheSaysSo() throws IOException {
        URI endpoint = closedPortEndpoint();
        HubClient client = new HubClient(new HubSettings(endpoint, cacheDir, Optional.empty(), false));

        assertThatThrownBy(() -> client.fetch(REPO, "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("cannot reach " + endpoint)
                .hasMessageContaining("connection refused")
                .hasMessageContaining("path of a local folder");
    }

    @Test
    void unknownRepositoryIsReportedAsNotFound() {
        assertThatThrownBy(() -> client(false).fetch("nobody/nothing", "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("repository nobody/nothing not found (HTTP 404)")
                .hasMessageContaining("Check the model name");
    }

    @Test
    void missingFileIsReportedAsNotFound() {
        assertThatThrownBy(() -> client(false).fetch(REPO, "main", List.of("config.json", "vocab.bin"),
                DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("vocab.bin not found in openai-community/gpt2");
    }

    @Test
    void rejectsRepoIdsThatCouldEscapeTheCache() {
        assertThatThrownBy(() -> client(false).fetch("../etc", "main", FILES, DownloadListener.NONE, () -> false))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("not a valid model repository id");
    }

    @Test
    void encodesRevisionsAsOnePathSegment() {
        assertThat(client(false).resolveUri(REPO, "refs/pr/1", "config.json").toString())
                .isEqualTo(hub.endpoint() + "/openai-community/gpt2/resolve/refs%2Fpr%2F1/config.json");
    }

    @Test
    void sameOriginComparesSchemeHostAndPort() {
        assertThat(HubClient.sameOrigin(URI.create("https://huggingface.co/a"), URI.create("https://HuggingFace.co:443"))).isTrue();
        assertThat(HubClient.sameOrigin(URI.create("https://cdn-lfs.hf.co/a"), URI.create("https://huggingface.co"))).isFalse();
        assertThat(HubClient.sameOrigin(URI.create("http://127.0.0.1:1/a"), URI.create("http://127.0.0.1:2"))).isFalse();
    }

    static URI closedPortEndpoint() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port);
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
