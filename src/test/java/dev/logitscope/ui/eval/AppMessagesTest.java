package dev.logitscope.ui.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.eval.EvalException;
import dev.logitscope.eval.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Evaluate tab's messages speak of its buttons and fields, never of options or commands to type. */
class AppMessagesTest {
    @TempDir
    Path dir;

    private static String appText(Runnable action) {
        try {
            action.run();
        } catch (EvalException e) {
            assertThat(e.getMessage()).as("the command line keeps its options").contains("--");
            return AppMessages.forApp(e);
        }
        throw new AssertionError("no error");
    }

    @Test
    void runFolderErrorsNameTheButtonsNotTheOptions() throws Exception {
        Path run = dir.resolve("run");
        RunFolder.open(run, Map.of("shots", "0,4"), false).close();
        String other = appText(() -> RunFolder.check(run, Map.of("shots", "0"), true));
        assertThat(other).contains("other settings", "shots was '0,4', now '0'", "press Run", "new folder")
                .doesNotContain("--", "command");
        String holds = appText(() -> RunFolder.check(run, Map.of("shots", "0,4"), false));
        assertThat(holds).contains("press Resume", "New folder").doesNotContain("--");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(appText(() -> RunFolder.check(empty, Map.of(), true))).contains("Press Run").doesNotContain("--");
    }

    @Test
    void shellCommandsBecomeWhatToDoInTheApp() {
        String hub = "the cache lacks model.safetensors of gpt2. Either unset HF_HUB_OFFLINE and run"
                + " `./logitscope download gpt2` while online, or give the path of a local folder.";
        assertThat(AppMessages.forApp(hub)).contains("pick gpt2 in the model bar").doesNotContain("./logitscope", "`");
        assertThat(AppMessages.forApp("unknown label 'good' (or give --label-map).")).contains("Label values")
                .doesNotContain("--");
        assertThat(AppMessages.forApp(new EvalException("cli --text", "in the app's words"))).isEqualTo("in the app's words");
        assertThat(AppMessages.forApp(new EvalException("choose a writable --out."))).isEqualTo("choose a writable output folder.");
    }
}
