package dev.logitscope.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the process mid-download (Ctrl-C sends SIGINT, which runs the JVM's shutdown hooks as
 * SIGTERM does) says that the partial file is kept and that running again resumes, and it is so.
 */
class InterruptedDownloadTest {

    @TempDir
    Path temp;

    /** The child process: fetches the test repository from the FakeHub the test started. */
    public static void main(String[] args) throws IOException {
        HubSettings settings = new HubSettings(java.net.URI.create(args[0]), Path.of(args[1]), Optional.empty(), false);
        new HubClient(settings).fetch(HubClientTest.REPO, "main", HubClientTest.FILES, DownloadListener.NONE, () -> false);
    }

    @Test
    void stoppingTheProcessMidDownloadSaysThePartialFileIsKeptAndResumes() throws Exception {
        Path cacheDir = temp.resolve("hub");
        byte[] weights = HubClientTest.WEIGHTS;
        Path partial = cacheDir.resolve("models--openai-community--gpt2/blobs/" + FakeHub.sha256(weights) + ".incomplete");
        try (FakeHub hub = new FakeHub().repo(HubClientTest.REPO, HubClientTest.COMMIT)
                .file(HubClientTest.REPO, "config.json", HubClientTest.CONFIG, false)
                .file(HubClientTest.REPO, "tokenizer.json", HubClientTest.TOKENIZER, false)
                .file(HubClientTest.REPO, "model.safetensors", weights, true)) {
            hub.sliceBytes = 32_768;
            hub.slicePauseMillis = 50; // ~5 s for the whole file: time to stop it halfway

            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    InterruptedDownloadTest.class.getName(), hub.endpoint().toString(), cacheDir.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(temp.resolve("stderr.txt").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(partial) && Files.size(partial) > 100_000) && System.nanoTime() < deadline
                    && child.isAlive()) {
                Thread.sleep(20);
            }
            assertThat(child.isAlive()).as("still downloading").isTrue();

            child.destroy(); // SIGTERM: the shutdown hooks run, as on Ctrl-C
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String stderr = Files.readString(temp.resolve("stderr.txt"), StandardCharsets.UTF_8);

            assertThat(stderr).contains("interrupted while downloading model.safetensors")
                    .contains("is kept at " + partial)
                    .contains("run the same command again to resume the download");
            long kept = Files.size(partial);
            assertThat(kept).isPositive().isLessThan(weights.length);

            hub.slicePauseMillis = 0;
            Path snapshot = new HubClient(new HubSettings(hub.endpoint(), cacheDir, Optional.empty(), false))
                    .fetch(HubClientTest.REPO, "main", HubClientTest.FILES, DownloadListener.NONE, () -> false);
            assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights);
            List<FakeHub.Request> resumed = hub.requests("GET").stream()
                    .filter(r -> "bytes=".concat(Long.toString(kept)).concat("-").equals(r.header("Range"))).toList();
            assertThat(resumed).as("the second run resumed where the first stopped").hasSize(1);
        }
    }
}
