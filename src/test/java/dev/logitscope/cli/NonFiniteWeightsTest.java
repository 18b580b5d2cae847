package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint with NaN weights must never yield a verdict: before this was pinned, NaN
 * probabilities compared false everywhere, so inspect said "positive, correct", eval reported 0.500
 * accuracy and --json printed bare NaN tokens.
 */
class NonFiniteWeightsTest {
    @TempDir
    static Path dir;
    static Path nanInBlock2;
    static Path nanInFinalNorm;

    @BeforeAll
    static void setUp() throws Exception {
        TinyCheckpoint clean = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(256).seed(5)
                .write(dir.resolve("clean"));
        float[] fc = clean.weight("h.1.mlp.c_fc.weight").clone();
        fc[7] = Float.NaN; // block 2 (h.1) is the first to produce a NaN
        nanInBlock2 = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(256).seed(5)
                .override("h.1.mlp.c_fc.weight", fc).write(dir.resolve("nan-block2")).folder();
        float[] lnF = clean.weight("ln_f.weight").clone();
        lnF[0] = Float.POSITIVE_INFINITY;
        nanInFinalNorm = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(256).seed(5)
                .override("ln_f.weight", lnF).write(dir.resolve("inf-lnf")).folder();
    }

    @Test
    void inspectRefusesAndNamesTheFirstLayerWithNonFiniteActivations() {
        CliRunner result = CliRunner.run("inspect", "--model", nanInBlock2.toString(), "--prompt", "Hello world", "--json");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).doesNotContain("NaN");
        assertThat(result.err()).contains("layer block 2").contains("corrupt").doesNotContain("Exception");
    }

    @Test
    void aReviewGetsNoVerdict() {
        CliRunner result = CliRunner.run("inspect", "--model", nanInBlock2.toString(), "--review", "A tender film.",
                "--gold", "positive", "--json");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).doesNotContain("correct").doesNotContain("NaN");
        assertThat(result.err()).contains("no probability or verdict");
    }

    @Test
    void aCorruptFinalNormIsBlamedOnTheReadoutNotOnALayer() {
        CliRunner result = CliRunner.run("inspect", "--model", nanInFinalNorm.toString(), "--prompt", "Hello world");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("residual stream is finite at every layer").contains("ln_f");
    }

    @Test
    void evalFailsInsteadOfReportingChanceAccuracy() throws Exception {
        Path data = dir.resolve("tiny.tsv");
        Files.writeString(data, "1 a tender, funny film\n0 dull, dull, dull\n");
        Path out = dir.resolve("run");
        CliRunner result = CliRunner.run("eval", "--models", nanInBlock2.toString(), "--dataset", data.toString(),
                "--format", "sst2", "--shots", "0", "--out", out.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("NaN or infinite");
        if (Files.exists(out.resolve("summary.json"))) {
            assertThat(Files.readString(out.resolve("summary.json"))).doesNotContain("0.5");
        }
    }
}
