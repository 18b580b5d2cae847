package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.plot.Pdfs;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect --png/--svg/--pdf}: the pictures carry the model, the condition and the review. */
class InspectPicturesTest {
    @TempDir
    Path dir;

    @Test
    void pdfBesidePngAndSvgTitledWithModelConditionLensAndReview() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip();
        Path model = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).realTokenizer(tokenizer)
                .write(dir.resolve("tiny-gpt2")).folder();
        String review = "A tender, funny film about grief that never once condescends to its audience; the cast is"
                + " superb and the ending is earned.";
        Path pdf = dir.resolve("heatmap.pdf");
        CliRunner result = CliRunner.run("inspect", "--model", model.toString(), "--review", review, "--shots", "2",
                "--demo-labels", "flipped", "--gold", "positive", "--pdf", pdf.toString(), "--png",
                dir.resolve("heatmap.png").toString(), "--svg", dir.resolve("heatmap.svg").toString());
        assertThat(result.exitCode()).as(result.err()).isZero();

        String text = Pdfs.read(pdf).text().replaceAll("\\s+", " ");
        assertThat(text).contains("tiny-gpt2 · 2-shot, flipped demo labels · logit lens")
                .contains("Review (gold: positive): “A tender, funny film about grief")
                .contains("…").doesNotContain("the ending is earned");
        assertThat(Files.readString(dir.resolve("heatmap.svg"))).contains("2-shot, flipped demo labels");
        assertThat(Files.size(dir.resolve("heatmap.png"))).isPositive();
    }

    @Test
    void theComparedTrajectoryNamesItsRunsAndAPlainPromptItsPrompt() throws Exception {
        Path model = TinyCheckpoint.builder().nPositions(1024).write(dir.resolve("m")).folder();
        Path traj = dir.resolve("traj.pdf");
        CliRunner compared = CliRunner.run("inspect", "-m", model.toString(), "--review", "Dull.", "--shots", "1",
                "--plot", "trajectory", "--compare-demos", "--pdf", traj.toString());
        assertThat(compared.exitCode()).as(compared.err()).isZero();
        assertThat(Pdfs.read(traj).text().replaceAll("\\s+", " "))
                .contains("m · zero-shot vs. one-shot correct vs. one-shot flipped · logit lens").contains("“Dull.”");

        Path plain = dir.resolve("plain.pdf");
        CliRunner prompt = CliRunner.run("inspect", "-m", model.toString(), "-p", "Hello world", "--pdf", plain.toString());
        assertThat(prompt.exitCode()).as(prompt.err()).isZero();
        assertThat(Pdfs.read(plain).text().replaceAll("\\s+", " ")).contains("m · logit lens").contains("Prompt: “Hello world”");
    }

    @Test
    void aPdfInAMissingFolderFailsBeforeTheModelLoads() throws Exception {
        Path missing = dir.resolve("nowhere").resolve("x.pdf");
        CliRunner result = CliRunner.run("inspect", "-m", dir.resolve("no-model").toString(), "-p", "x", "--pdf",
                missing.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Cannot write " + missing).contains("does not exist");
    }
}
