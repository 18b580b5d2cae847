package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.ui.lens.FitLensDialog;
import dev.logitscope.ui.lens.FitLensViewModel;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lens → Fit a lens…, headless on a tiny GPT-2 with the real tokenizer: a fit from the dialog
 * writes the lens folder fit-lens writes, which loads through LensEngine; Cancel midway leaves no
 * folder (nor a staging one); an input error names the field and marks it.
 */
class FitLensDialogTest {
    private static final String[] WORDS = {"the", "film", "was", "a", "not", "bad", "good", "story", "and", "funny",
            "dull", "moving", "of", "it", "is", "acting", "plot", "with", "too", "long", "great", "cast", "in", "but"};

    @TempDir
    static Path shared;
    static TinyCheckpoint tiny;
    static Path text;

    @TempDir
    Path dir;
    final AppHarness app = new AppHarness();

    @BeforeAll
    static void checkpoint() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip();
        tiny = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(256).seed(5).realTokenizer(tokenizer)
                .write(shared.resolve("tiny"));
        Random random = new Random(1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder s = new StringBuilder();
            for (int w = 0; w < 6 + random.nextInt(10); w++) {
                s.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            lines.add(s.append(" .").toString());
        }
        text = Files.write(shared.resolve("notes.txt"), lines);
    }

    @AfterEach
    void close() throws Exception {
        app.closeIfOpen();
    }

    /** Opens the window on the tiny model and the dialog from the Lens menu; returns the dialog's stage. */
    private Stage openDialog() throws Exception {
        app.open(new AppContext(SessionStore.inMemory(Session.defaults()), AppHarness.offlineHub(dir.resolve("hub")),
                Optional.of(tiny.folder().toString())).withEvalOutput(dir.resolve("evaluations")));
        app.waitForModel();
        MenuBar bar = app.lookup("#menuBar");
        MenuItem item = app.fx(() -> bar.getMenus().stream().map(Menu::getItems).flatMap(List::stream)
                .filter(i -> "fitLensItem".equals(i.getId())).findFirst().orElseThrow());
        assertThat(app.fx(() -> item.isDisable())).isFalse();
        app.fx(() -> item.fire());
        app.waitFor(() -> dialog() != null);
        return app.fx(() -> this.dialog());
    }

    private Stage dialog() {
        for (Window w : Window.getWindows()) {
            if (w instanceof Stage s && "Fit a lens".equals(s.getTitle()) && s.isShowing()) {
                return s;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private <T extends Node> T in(Stage stage, String id) throws Exception {
        return (T) app.fx(() -> stage.getScene().getRoot().lookup(id));
    }

    private FitLensViewModel vm(Stage stage) throws Exception {
        return app.fx(() -> (FitLensViewModel) stage.getProperties().get(FitLensViewModel.class));
    }

    @Test
    void aFitFromTheDialogWritesALensThatLoads() throws Exception {
        Stage stage = openDialog();
        TextField data = in(stage, "#fitLensData");
        TextField tokens = in(stage, "#fitLensTokens");
        TextField steps = in(stage, "#fitLensRefineSteps");
        TextField out = in(stage, "#fitLensOut");
        // The proposed folder is beside the evaluations, named after the model.
        assertThat(Path.of(app.fx(() -> out.getText()))).isEqualTo(dir.resolve("lenses").resolve("tiny-affine"));
        Path target = dir.resolve("my-lens");
        app.fx(() -> {
            data.setText(text.toString());
            tokens.setText("3000");
            steps.setText("2");
            out.setText(target.toString());
        });
        Button fit = in(stage, "#fitLensFit");
        app.fx(() -> fit.fire());
        FitLensViewModel vm = vm(stage);
        app.waitFor(() -> vm.savedProperty().get() != null);
        assertThat(app.fx(() -> vm.savedProperty().get())).isEqualTo(target);
        Label message = in(stage, "#fitLensMessage");
        assertThat(app.fx(() -> message.getText())).contains("Saved to " + target);
        Label progress = in(stage, "#fitLensProgressText");
        assertThat(app.fx(() -> progress.getText())).startsWith("Done: mean held-out KL");
        var config = JsonParser.parseString(Files.readString(target.resolve("config.json"))).getAsJsonObject();
        assertThat(config.get("refined_by").getAsString()).isEqualTo("kl_descent");
        assertThat(config.getAsJsonObject("data").get("max_tokens").getAsLong()).isEqualTo(3000);
        assertThat(config.getAsJsonObject("model").get("name").getAsString()).isEqualTo(tiny.folder().toString());
        try (LensEngine engine = LensEngine.open(tiny.folder(), "tiny")) {
            assertThat(engine.prepareLens(LensChoice.folder(target)))
                    .isEqualTo("affine lens (least squares + KL descent) (" + target + ")");
            assertThat(engine.inspect("the film was good", List.of(), 1, LensRequest.Positions.LAST, false,
                    LensChoice.folder(target)).lens()).isEqualTo("affine lens (least squares + KL descent) (" + target + ")");
        }
        // Close, now that no fit runs.
        Button cancel = in(stage, "#fitLensCancel");
        assertThat(app.fx(() -> cancel.getText())).isEqualTo("Close");
        app.fx(() -> cancel.fire());
        app.waitFor(() -> dialog() == null);
    }

    @Test
    void cancelMidwayLeavesNoFolder() throws Exception {
        Stage stage = openDialog();
        TextField data = in(stage, "#fitLensData");
        TextField steps = in(stage, "#fitLensRefineSteps");
        TextField out = in(stage, "#fitLensOut");
        Path target = dir.resolve("lenses-here").resolve("cancelled");
        app.fx(() -> {
            data.setText(text.toString());
            steps.setText("100000"); // far longer than the test waits
            out.setText(target.toString());
        });
        FitLensViewModel vm = vm(stage);
        Button fit = in(stage, "#fitLensFit");
        app.fx(() -> fit.fire());
        app.waitFor(() -> vm.progressTextProperty().get().startsWith("refining"));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("a staging folder while fitting")
                    .anyMatch(name -> name.startsWith(".cancelled.partial-"));
        }
        Button cancel = in(stage, "#fitLensCancel");
        assertThat(app.fx(() -> cancel.getText())).isEqualTo("Cancel");
        app.fx(() -> cancel.fire());
        app.waitFor(() -> !vm.runningProperty().get());
        Label message = in(stage, "#fitLensMessage");
        assertThat(app.fx(() -> message.getText())).isEqualTo("Stopped: nothing was written.");
        assertThat(target).doesNotExist();
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).as("nothing left beside the output folder").isEmpty();
        }
        // The window's engine is free again: the analysis runs.
        app.fx(() -> stage.close());
        app.fx(() -> app.vm().reviewProperty().set("a warm and funny film ."));
        app.waitForResult(r -> true);
    }

    @Test
    void useThisLensHandsTheSavedFolderToTheWindow() throws Exception {
        app.open(new AppContext(SessionStore.inMemory(Session.defaults()), AppHarness.offlineHub(dir.resolve("hub")),
                Optional.of(tiny.folder().toString())).withEvalOutput(dir.resolve("evaluations")));
        app.waitForModel();
        List<Path> used = new java.util.concurrent.CopyOnWriteArrayList<>();
        Path target = dir.resolve("used-lens");
        Stage stage = app.fx(() -> {
            FitLensViewModel vm = new FitLensViewModel(app.vm().modelBar().engine(), "tiny", target, used::add);
            return FitLensDialog.open(app.window.scene().getWindow(), vm).stage();
        });
        Button use = in(stage, "#fitLensUse");
        assertThat(app.fx(() -> use.isVisible())).as("nothing to use before a fit").isFalse();
        TextField data = in(stage, "#fitLensData");
        TextField tokens = in(stage, "#fitLensTokens");
        app.fx(() -> {
            data.setText(text.toString());
            tokens.setText("3000");
        });
        Button fit = in(stage, "#fitLensFit");
        app.fx(() -> fit.fire());
        FitLensViewModel vm = vm(stage);
        app.waitFor(() -> !vm.runningProperty().get());
        assertThat(app.fx(() -> vm.savedProperty().get())).as(app.fx(() -> vm.messageProperty().get())).isEqualTo(target);
        assertThat(app.fx(() -> use.isVisible())).isTrue();
        app.fx(() -> use.fire());
        assertThat(used).containsExactly(target);
        app.waitFor(() -> dialog() == null);
    }

    @Test
    void anInputErrorNamesAndMarksTheField() throws Exception {
        Stage stage = openDialog();
        TextField data = in(stage, "#fitLensData");
        TextField tokens = in(stage, "#fitLensTokens");
        Button fit = in(stage, "#fitLensFit");
        Label message = in(stage, "#fitLensMessage");
        app.fx(() -> fit.fire()); // no data file yet
        assertThat(app.fx(() -> message.getText())).contains("“Data file”");
        assertThat(app.fx(() -> data.getStyleClass().contains("field-error"))).isTrue();

        app.fx(() -> {
            data.setText(text.toString());
            tokens.setText("lots");
        });
        app.fx(() -> fit.fire());
        assertThat(app.fx(() -> message.getText())).isEqualTo("“Token budget” must be a whole number, like 100000.");
        assertThat(app.fx(() -> tokens.getStyleClass().contains("field-error"))).isTrue();
        assertThat(app.fx(() -> data.getStyleClass().contains("field-error"))).isFalse();

        app.fx(() -> {
            tokens.setText("3000");
            data.setText(dir.resolve("missing.txt").toString());
        });
        app.fx(() -> fit.fire());
        FitLensViewModel vm = vm(stage);
        app.waitFor(() -> !vm.runningProperty().get() && !vm.messageProperty().get().isEmpty());
        assertThat(app.fx(() -> message.getText())).startsWith("No data file at").contains("in “Data file”")
                .doesNotContain("--data");
        assertThat(app.fx(() -> data.getStyleClass().contains("field-error"))).isTrue();
    }
}
