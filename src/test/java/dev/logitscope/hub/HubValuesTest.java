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
                .containsExactly("distilgpt2", "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl",
                        "gpt-neo-125m", "gpt-neo-1.3b", "opt-125m", "opt-350m", "opt-1.3b", "opt-2.7b");
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

    /**
     * The seed's ten models with their repositories, and parameter counts recomputed from the
     * released configs (vocab, positions, width, layers, inner size) by each family's layout.
     */
    @Test
    void catalogParameterCountsFollowFromTheReleasedConfigs() {
        assertThat(ModelCatalog.find("gpt-neo-1.3b").orElseThrow().repoId()).isEqualTo("EleutherAI/gpt-neo-1.3B");
        assertThat(ModelCatalog.find("opt-350m").orElseThrow().family()).isEqualTo("opt");
        assertThat(count("gpt2")).isEqualTo(gpt2(50257, 1024, 768, 12));
        assertThat(count("gpt2-xl")).isEqualTo(gpt2(50257, 1024, 1600, 48));
        assertThat(count("gpt-neo-125m")).isEqualTo(gptNeo(50257, 2048, 768, 12));
        assertThat(count("gpt-neo-1.3b")).isEqualTo(gptNeo(50257, 2048, 2048, 24));
        assertThat(count("opt-125m")).isEqualTo(opt(50272, 2048, 768, 768, 12, 3072, true));
        assertThat(count("opt-350m")).isEqualTo(opt(50272, 2048, 1024, 512, 24, 4096, false));
        assertThat(count("opt-1.3b")).isEqualTo(opt(50272, 2048, 2048, 2048, 24, 8192, true));
        assertThat(count("opt-2.7b")).isEqualTo(opt(50272, 2048, 2560, 2560, 32, 10240, true));
        for (CatalogEntry e : ModelCatalog.entries()) {
            assertThat(e.family()).as(e.shortName()).isIn("gpt2", "gpt_neo", "opt");
        }
    }

    private static long count(String name) {
        return ModelCatalog.find(name).orElseThrow().parameters();
    }

    /** wte, wpe, per block 2 LayerNorms + c_attn/c_proj + c_fc/c_proj (Conv1D with bias), ln_f; head tied. */
    private static long gpt2(long vocab, long positions, long d, long layers) {
        long block = 2 * (2 * d) + (d * 3 * d + 3 * d) + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d);
        return vocab * d + positions * d + layers * block + 2 * d;
    }

    /** As GPT-2, but q/k/v without bias. */
    private static long gptNeo(long vocab, long positions, long d, long layers) {
        long block = 2 * (2 * d) + 3 * d * d + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d);
        return vocab * d + positions * d + layers * block + 2 * d;
    }

    /** embed_tokens [V, proj], positions [P + 2, d], project_in/out when proj != d, final norm only pre-LN. */
    private static long opt(long vocab, long positions, long d, long proj, long layers, long ffn, boolean preLn) {
        long block = 4 * (d * d + d) + 2 * (2 * d) + (d * ffn + ffn) + (ffn * d + d);
        long projections = proj == d ? 0 : 2 * proj * d;
        return vocab * proj + (positions + 2) * d + projections + layers * block + (preLn ? 2 * d : 0);
    }
}
