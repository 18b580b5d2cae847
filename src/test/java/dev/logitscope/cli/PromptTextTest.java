package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text analysed is exactly the text given: any locale, no silent @file expansion, prompt files. */
class PromptTextTest {
    private static final String TEXT = "café 日本 😀";

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void setUp() throws Exception {
        model = TinyCheckpoint.builder().nLayer(1).nEmbd(8).nHead(2).nPositions(64)
                .realTokenizer(SharedFiles.gpt2TokenizerOrSkip()).write(dir.resolve("m")).folder();
    }

    /** Token ids of the analysed prompt (a token's text alone may be part of a character). */
    private static int[] idsOf(String json) {
        var tokens = JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("tokens");
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokens.get(i).getAsJsonObject().get("id").getAsInt();
        }
        return ids;
    }

    private static int[] expectedIds(String text) {
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(SharedFiles.gpt2TokenizerOrSkip())) {
            return tokenizer.encodeIds(text);
        }
    }

    private static String promptOf(String json) {
        StringBuilder text = new StringBuilder();
        JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("tokens")
                .forEach(t -> text.append(t.getAsJsonObject().get("text").getAsString()));
        return text.toString();
    }

    @Test
    void aNonUtf8LocaleDoesNotTurnThePromptIntoQuestionMarks() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "dev.logitscope.Main", "inspect", "--model", model.toString(), "--prompt", TEXT, "--json");
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        Process process = pb.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isZero();
        assertThat(idsOf(new String(out, StandardCharsets.UTF_8))).containsExactly(expectedIds(TEXT));
    }

    @Test
    void anAtSignIsTextNotAFileToExpand() throws Exception {
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "secret contents");
        String at = "@" + notes;
        CliRunner result = CliRunner.run("inspect", "-m", model.toString(), "--prompt", at, "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(promptOf(result.out())).isEqualTo(at);
    }

    @Test
    void promptAndReviewFilesAreReadAsUtf8() throws Exception {
        Path file = dir.resolve("prompt.txt");
        Files.writeString(file, TEXT + "\n", StandardCharsets.UTF_8);
        CliRunner result = CliRunner.run("inspect", "-m", model.toString(), "--prompt-file", file.toString(), "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(idsOf(result.out())).containsExactly(expectedIds(TEXT));

        CliRunner review = CliRunner.run("inspect", "-m", model.toString(), "--review-file", file.toString(), "--json");
        assertThat(review.exitCode()).as(review.err()).isZero();
        JsonObject json = JsonParser.parseString(review.out()).getAsJsonObject();
        assertThat(json.get("prompt").getAsString()).contains(TEXT + "\n").doesNotContain(TEXT + "\n\n");
    }

    @Test
    void aFileThatIsNotUtf8NamesTheByteOffset() throws Exception {
        Path file = dir.resolve("latin1.txt");
        Files.write(file, new byte[] {'c', 'a', 'f', (byte) 0xe9, ' ', 'o', 'k'});
        CliRunner result = CliRunner.run("inspect", "-m", model.toString(), "--prompt-file", file.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("not UTF-8").contains("offset 3");
        CliRunner both = CliRunner.run("inspect", "-m", model.toString(), "--prompt", "x", "--prompt-file", file.toString());
        assertThat(both.exitCode()).isEqualTo(1);
        assertThat(both.err()).contains("not both");
    }
}
