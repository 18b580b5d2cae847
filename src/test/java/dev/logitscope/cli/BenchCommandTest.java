package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench command's JSON contract (figures themselves are machine-dependent and not asserted). */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void jsonHasTheDocumentedShape() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(64).write(dir.resolve("m"));
        CliRunner result = CliRunner.run("bench", "-m", ckpt.folder().toString(), "--tokens", "4,16", "--repeat", "2",
                "--memory-check", "20", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject json = JsonParser.parseString(result.out()).getAsJsonObject();
        assertThat(json.getAsJsonObject("model").get("n_layer").getAsInt()).isEqualTo(2);
        assertThat(json.get("peak_gflops").getAsDouble()).isPositive();
        assertThat(json.get("memory_gbps").getAsDouble()).isPositive();
        assertThat(json.get("mkl_cbwr").getAsString()).isNotBlank();
        var results = json.getAsJsonArray("results");
        assertThat(results).hasSize(2);
        JsonObject first = results.get(0).getAsJsonObject();
        assertThat(first.get("tokens").getAsInt()).isEqualTo(4);
        for (String timing : new String[] {"forward_ms", "incremental_ms", "incremental_forward_ms", "grid_ms"}) {
            JsonObject t = first.getAsJsonObject(timing);
            assertThat(t.get("min").getAsDouble()).isPositive().isLessThanOrEqualTo(t.get("median").getAsDouble());
            assertThat(t.get("median").getAsDouble()).isLessThanOrEqualTo(t.get("max").getAsDouble());
        }
        assertThat(first.get("gflops").getAsDouble()).isPositive();
        assertThat(first.get("peak_ratio").getAsDouble()).isPositive();
        assertThat(json.getAsJsonObject("memory").getAsJsonArray("rss_mb")).isNotEmpty();
        JsonObject side = json.getAsJsonObject("side_by_side");
        assertThat(side.get("prompts").getAsInt()).isEqualTo(16);
        // 16 prompts after the prefix must fit the 64-position context
        assertThat(side.get("prefix_tokens").getAsInt() + 16 * side.get("prompt_tokens").getAsInt()).isLessThanOrEqualTo(64);
        for (String timing : new String[] {"alone_ms_per_prompt", "side_by_side_ms_per_prompt"}) {
            assertThat(side.getAsJsonObject(timing).get("median").getAsDouble()).isPositive();
        }
    }

    @Test
    void anUnknownRandomShapeIsAClearError() {
        CliRunner result = CliRunner.run("bench", "--random-weights", "gpt5", "--tokens", "4", "--repeat", "1");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Unknown model shape 'gpt5'");
    }
}
