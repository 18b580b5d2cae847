package dev.logitscope.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small pieces: progress text and throttling, etags and hashes, the catalog. */
class HubValuesTest {

    @TempDir
    Path temp;

    @Test
    void describeShowsSizesRateAndTimeLeft() {
        DownloadProgress p = new DownloadProgress("model.safetensors", 12_300_000, 548_105_171, 4_200_000,
                Duration.ofSeconds(131));
        assertThat(p.describe()).isEqualTo("model.safetensors 12.3 MB / 548.1 MB  4.2 MB/s  2:11 left");
    }

    @Test
    void describeCopesWithUnknownsAndCompletion() {
        assertThat(new DownloadProgress("a", 999, -1, 0, null).describe()).isEqualTo("a 999 B");
        assertThat(new DownloadProgress("a", 6_431_829_964L, 6_431_829_964L, 1e8, Duration.ZERO).describe())
                .isEqualTo("a 6.4 GB / 6.4 GB  done");
        assertThat(DownloadProgress.formatDuration(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
        assertThat(DownloadProgress.formatBytes(999_999)).isEqualTo("1.0 MB");
    }

    @Test
    void meterThrottlesToTenPerSecondAndAlwaysReportsTheEnd() {
        AtomicLong now = new AtomicLong();
        List<DownloadProgress> events = new ArrayList<>();
        ProgressMeter meter = new ProgressMeter("f", 0, 1000, events::add, now::get);

        for (int i = 0; i < 100; i++) {
            now.addAndGet(10_000_000); // 10 ms per chunk of 10 bytes: 1 s in all
            meter.advance(10);
        }
        meter.finish();

        assertThat(events).hasSizeBetween(10, 11);
        DownloadProgress last = events.get(events.size() - 1);
        assertThat(last.bytesDone()).isEqualTo(1000);
        assertThat(last.bytesPerSecond()).isCloseTo(1000.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(events.get(4).eta()).isNotNull();
    }

    @Test
    void meterRateIgnoresResumedBytes() {
        AtomicLong now = new AtomicLong();
        List<DownloadProgress> events = new ArrayList<>();
        ProgressMeter meter = new ProgressMeter("f", 500, 1000, events::add, now::get);
        now.set(1_000_000_000L);
        meter.advance(100);

        assertThat(events).singleElement().satisfies(p -> {
            assertThat(p.bytesPerSecond()).isEqualTo(100.0);
            assertThat(p.eta()).isEqualTo(Duration.ofSeconds(4));
        });
    }

    @Test
    void etagNormalisationPrefersTheLinkedEtag() {
        assertThat(FileMetadata.normalizeEtag(Optional.of("\"ABC\""), Optional.of("W/\"x\""))).contains("abc");
        assertThat(FileMetadata.normalizeEtag(Optional.empty(), Optional.of("W/\"deadbeef\""))).contains("deadbeef");
        assertThat(FileMetadata.normalizeEtag(Optional.empty(), Optional.of("\"\""))).isEmpty();
    }

    @Test
    void gitBlobHashMatchesGit() throws IOException {
        // `printf 'hello\n' | git hash-object --stdin`
        Path file = Files.writeString(temp.resolve("f"), "hello\n", StandardCharsets.UTF_8);
        String gitHash = "ce013625030ba8dba906f756967f9e9ca394464a";

        assertThat(BlobDigest.forEtag(gitHash, -1).orElseThrow().matches(file)).isTrue();
        BlobDigest streaming = BlobDigest.forEtag(gitHash, 6).orElseThrow();
        byte[] bytes = "hello\n".getBytes(StandardCharsets.UTF_8);
        streaming.update(bytes, 0, bytes.length);
        assertThat(streaming.matches(file)).isTrue();
        assertThat(BlobDigest.forEtag("not-a-hash", 6)).isEmpty();
    }

    @Test
    void catalogKnowsTheGpt2Family() {
        assertThat(ModelCatalog.entries()).extracting(CatalogEntry::shortName)
                .containsExactly("distilgpt2", "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl");
        assertThat(ModelCatalog.repoIdFor("gpt2-xl")).isEqualTo("openai-community/gpt2-xl");
        assertThat(ModelCatalog.repoIdFor("distilgpt2")).isEqualTo("distilbert/distilgpt2");
        assertThat(ModelCatalog.repoIdFor("someone/else")).isEqualTo("someone/else");
        assertThat(ModelCatalog.find("OpenAI-Community/GPT2-Large")).get()
                .satisfies(e -> {
                    assertThat(e.layers()).isEqualTo(36);
                    assertThat(e.width()).isEqualTo(1280);
                    assertThat(e.heads()).isEqualTo(20);
                });
        assertThat(ModelCatalog.find("gpt2").orElseThrow().parameters()).isEqualTo(124_439_808L);
    }
}
