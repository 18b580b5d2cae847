package dev.logitscope.ui.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.eval.DatasetReader;
import dev.logitscope.eval.DatasetSpec;
import dev.logitscope.eval.EvalException;
import dev.logitscope.eval.EvalInput;
import dev.logitscope.eval.EvalWords;
import dev.logitscope.eval.LabelMap;
import dev.logitscope.eval.RunFolder;
import dev.logitscope.hub.HubClient;
import dev.logitscope.hub.HubException;
import dev.logitscope.hub.HubSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One error, two surfaces: the evaluation's error carries what went wrong and which input; the
 * command line says it with options, the Evaluate tab with its fields and buttons.
 */
class AppMessagesTest {
    @TempDir
    Path dir;

    private static EvalException error(Runnable action) {
        try {
            action.run();
        } catch (EvalException e) {
            return e;
        }
        throw new AssertionError("no error");
    }

    @Test
    void runFolderErrorsNameTheButtonsInTheAppAndTheOptionsInTheCli() throws Exception {
        Path run = dir.resolve("run");
        RunFolder.open(run, Map.of("shots", "0,4"), false).close();
        EvalException other = error(() -> RunFolder.check(run, Map.of("shots", "0"), true));
        assertThat(other.input()).contains(EvalInput.RESUME);
        assertThat(AppMessages.forApp(other)).contains("other settings", "shots was '0,4', now '0'", "press Resume",
                "press Run", "new folder").doesNotContain("--", "command");
        assertThat(other.message(EvalWords.OPTIONS)).contains("pass --resume", "choose another --out");

        EvalException holds = error(() -> RunFolder.check(run, Map.of("shots", "0,4"), false));
        assertThat(holds.input()).contains(EvalInput.OUT);
        assertThat(AppMessages.forApp(holds)).contains("press Resume", "new folder").doesNotContain("--");
        assertThat(holds.message(EvalWords.OPTIONS)).contains("pass --resume", "choose another --out");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        EvalException nothing = error(() -> RunFolder.check(empty, Map.of(), true));
        assertThat(AppMessages.forApp(nothing)).contains("press Run").doesNotContain("--");
        assertThat(nothing.message(EvalWords.OPTIONS)).contains("run without --resume");
    }

    @Test
    void everyInputHasANameOnBothSurfaces() {
        for (EvalInput input : EvalInput.values()) {
            assertThat(EvalWords.OPTIONS.name(input)).startsWith("--");
            assertThat(EvalFieldWords.INSTANCE.name(input)).doesNotContain("--").isNotBlank();
        }
    }

    @Test
    void aBadLabelNamesLabelValuesInTheAppAndLabelMapInTheCli() throws Exception {
        EvalException unknown = error(() -> LabelMap.DEFAULT.map("good"));
        assertThat(unknown.input()).contains(EvalInput.LABEL_MAP);
        assertThat(AppMessages.forApp(unknown)).contains("unknown label 'good'", "Label values").doesNotContain("--");
        assertThat(unknown.message(EvalWords.OPTIONS)).contains("--label-map");

        Path bad = Files.write(dir.resolve("bad.txt"), java.util.List.of("1 a fine film .", "nolabel"));
        EvalException line = error(() -> DatasetReader.read(DatasetSpec.of(bad)));
        assertThat(AppMessages.forApp(line)).contains("bad.txt:2", "tick “Skip bad lines”").doesNotContain("--");
        assertThat(line.message(EvalWords.OPTIONS)).contains("bad.txt:2", "pass --skip-bad");
    }

    @Test
    void aHubProblemSaysWhatToDoInEachSurfacesWords() throws Exception {
        HubSettings offline = new HubSettings(URI.create("http://127.0.0.1:9"), dir.resolve("cache"), Optional.empty(), true);
        HubException e = org.junit.jupiter.api.Assertions.assertThrows(HubException.class, () -> new HubClient(offline)
                .fetch("gpt2", "main", List.of("config.json", "model.safetensors", "tokenizer.json"), null, null));
        assertThat(e.getMessage()).contains("HF_HUB_OFFLINE", "`./logitscope download gpt2`",
                "give the path of a local folder holding config.json, model.safetensors and tokenizer.json");
        assertThat(AppMessages.forApp(e)).contains("HF_HUB_OFFLINE", "pick gpt2 in the model bar",
                "HF_HOME", "(Open folder… in the model bar)").doesNotContain("./logitscope", "`", "--", "….");
    }
}
