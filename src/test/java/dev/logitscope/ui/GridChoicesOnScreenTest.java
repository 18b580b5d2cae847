package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.analysis.GridPositions;
import dev.logitscope.plot.TokenGridData;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.plot.GridPlot;
import dev.logitscope.ui.prompt.ShotMode;
import dev.logitscope.ui.session.JsonSessionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.TabPane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The token × layer grid's choices are on screen, not only in the view model: which positions it
 * reads (the CLI's {@code --grid-positions}) and what colours its cells, and both survive a restart.
 */
class GridChoicesOnScreenTest {
    static final String REVIEW = "A warm, funny and beautifully acted film.";

    @TempDir
    static Path shared;
    static TinyCheckpoint tiny;

    @TempDir
    Path dir;
    final AppHarness app = new AppHarness();

    @BeforeAll
    static void checkpoint() throws Exception {
        tiny = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(11).write(shared.resolve("tiny"));
    }

    @AfterEach
    void close() throws Exception {
        app.closeIfOpen();
    }

    @Test
    void choosingTheWholePromptOnScreenReadsEveryPositionAndIsKept() throws Exception {
        JsonSessionStore store = new JsonSessionStore(dir.resolve("config").resolve("session.json"));
        app.openWithModel(store, dir.resolve("hub"), tiny.folder());
        ChoiceBox<GridPositions> positions = app.lookup("#gridPositions");
        ChoiceBox<TokenGridData.Mode> colours = app.lookup("#gridMode");
        assertThat(app.fx(positions::getValue)).isEqualTo(GridPositions.QUERY);
        app.fx(() -> {
            app.vm().prompt().fewKProperty().set(2);
            app.vm().prompt().shotModeProperty().set(ShotMode.FEW); // demonstrations before the review
            TabPane views = app.lookup("#views");
            views.getSelectionModel().select(1);
            app.vm().reviewProperty().set(REVIEW);
        });
        AnalysisResult query = app.waitForResult(r -> r.grid() && firstPosition(r) > 0);
        int tokens = query.analysis().lens().tokens().size();

        // As a user does it: open the choice box and pick the entry by its text.
        app.robot.clickOn(positions);
        app.robot.clickOn("the whole prompt");
        AnalysisResult all = app.waitForResult(r -> r.grid() && firstPosition(r) == 0);
        GridPlot shown = app.fx(() -> (GridPlot) app.vm().gridProperty().get());
        assertThat(shown.data().columns()).hasSize(tokens);
        assertThat(all.gridReport().layers().get(0).positions()).hasSize(tokens);

        app.fx(() -> colours.setValue(TokenGridData.Mode.KL));
        WaitForAsyncUtils.waitForFxEvents();
        app.close();
        String json = Files.readString(store.file(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"gridPositions\": \"all\"").contains("\"gridColour\": \"kl\"");

        app.open(store, AppHarness.offlineHub(dir.resolve("hub")), Optional.empty());
        app.waitForModel();
        ChoiceBox<GridPositions> again = app.lookup("#gridPositions");
        ChoiceBox<TokenGridData.Mode> coloursAgain = app.lookup("#gridMode");
        assertThat(app.fx(again::getValue)).isEqualTo(GridPositions.ALL);
        assertThat(app.fx(coloursAgain::getValue)).isEqualTo(TokenGridData.Mode.KL);
        assertThat(app.fx(() -> app.vm().gridPositionsProperty().get())).isEqualTo(GridPositions.ALL);
    }

    private static int firstPosition(AnalysisResult r) {
        return r.gridReport().layers().get(0).positions().get(0).position();
    }
}
