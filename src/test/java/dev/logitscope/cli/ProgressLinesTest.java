package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.hub.DownloadProgress;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Off a terminal (a pipe, a log file), progress is plain lines, one per whole percent, no bar. */
class ProgressLinesTest {
    @TempDir
    Path dir;

    @Test
    void aDownloadInAPipeIsOneLinePerPercent() {
        StringWriter err = new StringWriter();
        long total = 548_105_171L;
        try (ConsoleProgress progress = new ConsoleProgress(new PrintWriter(err, true), false)) {
            progress.update(new DownloadProgress("config.json", 665, 665, 0, null));
            for (long done = 0; done <= total; done += 1_000_003L) {
                progress.update(new DownloadProgress("model.safetensors", done, total, 4e6, null));
            }
            progress.update(new DownloadProgress("model.safetensors", total, total, 4e6, null));
        }
        List<String> lines = err.toString().lines().toList();
        assertThat(err.toString()).doesNotContain("\r").doesNotContain("\u001b");
        assertThat(lines.get(0)).isEqualTo("downloading config.json: 100% (665 B / 665 B  done)");
        List<String> weights = lines.subList(1, lines.size());
        assertThat(weights).hasSize(101).allMatch(l -> l.startsWith("downloading model.safetensors: "));
        for (int p = 0; p <= 100; p++) {
            assertThat(weights.get(p)).contains(String.format(java.util.Locale.ROOT, ": %3d%% (", p));
        }
        assertThat(weights.get(100)).endsWith("548.1 MB / 548.1 MB  done)");
    }

    @Test
    void anEvalInAPipeIsOneLinePerPercentWithTheCondition() throws Exception {
        Path model = TinyCheckpoint.builder().nEmbd(8).nHead(2).nPositions(1024).realTokenizer(SharedFiles.gpt2TokenizerOrSkip())
                .write(dir.resolve("m")).folder();
        Path sst2 = SharedFiles.sst2OrSkip().resolve("stsa.binary.dev");
        CliRunner result = CliRunner.run("eval", "--models", model.toString(), "--dataset", sst2.toString(),
                "--limit", "3", "--shots", "0,1", "--demo-labels", "correct", "--out", dir.resolve("run").toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).doesNotContain("\r").doesNotContain("\u001b");
        List<String> progress = result.err().lines().filter(l -> l.startsWith("eval: ") && l.contains("%")).toList();
        // 6 examples: 16%, 33%, 50%, 66%, 83%, 100%
        assertThat(progress).hasSize(6);
        assertThat(progress.get(0)).contains(" 16% (1/6 examples)").contains(model + " 0-shot seed 0");
        assertThat(progress.get(5)).contains("100% (6/6 examples)").contains(model + " 1 correct seed 0");
        assertThat(result.err()).contains("eval: loading " + model);
    }
}
