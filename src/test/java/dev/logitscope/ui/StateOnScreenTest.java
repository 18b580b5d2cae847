package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.SampleReview;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.plot.HeatmapPlot;
import dev.logitscope.ui.plot.Placeholder;
import dev.logitscope.ui.plot.Plot;
import dev.logitscope.ui.prompt.ShotMode;
import dev.logitscope.ui.session.JsonSessionStore;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javafx.css.PseudoClass;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import org.jfree.svg.SVGGraphics2D;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/** What the window shows is the state behind its numbers: toggles, errors, gold label, k, kept settings. */
class StateOnScreenTest {
    static final String REVIEW = "A warm, funny and beautifully acted film.";
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");

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

    private void openWithTiny(SessionStore store) throws Exception {
        app.openWithModel(store, dir.resolve("hub"), tiny.folder());
    }

    /** The buttons of a segmented control that are visibly selected (the :selected pseudo-class). */
    private List<String> shownSelected(String... ids) throws Exception {
        return app.fx(() -> java.util.Arrays.stream(ids).filter(id -> {
            ToggleButton b = app.lookup(id);
            return b.isSelected() && b.getPseudoClassStates().contains(SELECTED);
        }).toList());
    }

    private List<String> shotButtons() throws Exception {
        return shownSelected("#zeroShot", "#oneShot", "#fewShot");
    }

    private List<String> labelButtons() throws Exception {
        return shownSelected("#correctLabels", "#flippedLabels", "#randomLabels");
    }

    @Test
    void everySegmentedControlShowsTheModeInEffect() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        assertThat(shotButtons()).containsExactly("#zeroShot");
        assertThat(labelButtons()).containsExactly("#correctLabels");

        app.robot.clickOn("#fewShot");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(app.fx(() -> app.vm().prompt().shotModeProperty().get())).isEqualTo(ShotMode.FEW);
        assertThat(shotButtons()).containsExactly("#fewShot");
        assertThat(labelButtons()).containsExactly("#correctLabels");

        // A click on the selected segment keeps it selected (a toggle group would deselect it).
        app.robot.clickOn("#correctLabels");
        app.robot.clickOn("#fewShot");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(labelButtons()).containsExactly("#correctLabels");
        assertThat(shotButtons()).containsExactly("#fewShot");
        app.robot.clickOn("#flippedLabels");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(labelButtons()).containsExactly("#flippedLabels");
        assertThat(app.fx(() -> app.vm().prompt().demoLabelsProperty().get())).isEqualTo(DemoLabels.FLIPPED);
    }

    @Test
    void aRestoredSessionShowsTheRestoredModes() throws Exception {
        Session saved = new Session(tiny.folder().toString(), List.of(), null, 4, 4, "flipped", "", "", "", false,
                REVIEW, "light", false);
        openWithTiny(SessionStore.inMemory(saved));
        AnalysisResult r = app.waitForResult(x -> true);
        assertThat(r.prompt().demos()).hasSize(4).allMatch(d -> d.flipped());
        assertThat(shotButtons()).containsExactly("#fewShot");
        assertThat(labelButtons()).containsExactly("#flippedLabels");
    }

    @Test
    void aReviewTooLongForTheContextReplacesTheLastResultWithWhatToDo() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        app.fx(() -> app.vm().reviewProperty().set(REVIEW));
        app.waitForResult(x -> true);
        TextFlow preview = app.lookup("#preview");
        assertThat(app.fx(() -> previewText(preview))).contains(REVIEW);

        String tooLong = "The film drags on. ".repeat(120).strip();
        app.fx(() -> app.vm().reviewProperty().set(tooLong));
        Label status = app.lookup("#status");
        app.waitFor(() -> !app.vm().analysingProperty().get() && status.getText().contains("shorten"));

        // Nothing of the last review stays on screen as if it were current.
        assertThat(app.fx(() -> app.vm().result())).isNull();
        assertThat(app.fx(() -> previewText(preview))).doesNotContain(REVIEW);
        Label tokens = app.lookup("#tokenCount");
        assertThat(app.fx(tokens::getText)).doesNotContain("/ 1024 tokens ·");
        assertThat(app.fx(() -> app.vm().export().canExport())).isFalse();
        // The error is where the result would be: the verdict line and the plots say what to do.
        Label verdict = app.lookup("#verdict");
        assertThat(app.fx(verdict::getText)).contains("shorten the review by at least");
        assertThat(app.fx(() -> verdict.getStyleClass())).contains("verdict-error");
        for (String id : new String[] {"#heatmap", "#trajectory"}) {
            dev.logitscope.ui.plot.PlotCanvas canvas = app.lookup(id);
            Plot shown = app.fx(() -> canvas.plotProperty().get());
            assertThat(shown).isInstanceOf(Placeholder.class);
            assertThat(((Placeholder) shown).hint()).contains("shorten the review by at least");
        }

        // Shortening it brings a result back, and the error goes.
        app.fx(() -> app.vm().reviewProperty().set(REVIEW + " Again."));
        app.waitForResult(x -> true);
        assertThat(app.fx(() -> verdict.getStyleClass())).doesNotContain("verdict-error");
        assertThat(app.fx(verdict::getText)).doesNotContain("shorten");
    }

    private static String previewText(TextFlow flow) {
        return flow.getChildren().stream().map(n -> ((Text) n).getText()).collect(Collectors.joining());
    }

    @Test
    void theGoldLabelBelongsToTheSampleItCameWith() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        List<SampleReview> samples = app.vm().samples();
        int positive = indexOf(samples, s -> s.expected().map(e -> e.key().equals("positive")).orElse(false));
        int unlabelled = indexOf(samples, s -> s.expected().isEmpty());
        MenuButton menu = app.lookup("#samples");
        ChoiceBox<String> gold = app.lookup("#gold");

        app.fx(() -> menu.getItems().get(positive).fire());
        AnalysisResult judged = app.waitForResult(r -> r.finalVerdict().correct() != null);
        assertThat(judged.review()).isEqualTo(samples.get(positive).review());
        assertThat(app.fx(gold::getValue)).isEqualTo("positive");

        // Another review typed over the sample is not judged against the sample's label.
        TextArea review = app.lookup("#review");
        app.fx(() -> review.setText("The worst film I have seen this year."));
        AnalysisResult typed = app.waitForResult(r -> true);
        assertThat(typed.finalVerdict().correct()).isNull();
        assertThat(app.fx(gold::getValue)).isEqualTo("unknown");

        // A sample without a label clears the last sample's label.
        app.fx(() -> menu.getItems().get(positive).fire());
        app.waitForResult(r -> r.finalVerdict().correct() != null);
        app.fx(() -> menu.getItems().get(unlabelled).fire());
        AnalysisResult open = app.waitForResult(r -> true);
        assertThat(open.finalVerdict().correct()).isNull();
        assertThat(app.fx(gold::getValue)).isEqualTo("unknown");

        // A gold label the user chose stays while they type.
        app.fx(() -> gold.setValue("negative"));
        app.fx(() -> review.appendText(" Really."));
        AnalysisResult own = app.waitForResult(r -> r.review().endsWith("Really."));
        assertThat(own.finalVerdict().correct()).isNotNull();
        assertThat(app.fx(gold::getValue)).isEqualTo("negative");
    }

    private static int indexOf(List<SampleReview> samples, java.util.function.Predicate<SampleReview> test) {
        for (int i = 0; i < samples.size(); i++) {
            if (test.test(samples.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such sample");
    }

    @Test
    void theKSpinnerShowsTheKInEffect() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        Spinner<Integer> k = app.lookup("#fewK");
        assertThat(app.fx(k::getValue)).isZero();
        assertThat(app.fx(() -> k.getEditor().getText())).isEqualTo("0");
        ToggleButton one = app.lookup("#oneShot");
        ToggleButton few = app.lookup("#fewShot");
        app.fx(one::fire);
        assertThat(app.fx(k::getValue)).isEqualTo(1);
        assertThat(app.fx(() -> k.getEditor().getText())).isEqualTo("1");
        assertThat(app.fx(k::isDisabled)).isTrue();
        app.fx(few::fire);
        assertThat(app.fx(k::getValue)).isEqualTo(4);
        app.fx(() -> k.increment(2));
        assertThat(app.fx(() -> app.vm().prompt().fewKProperty().get())).isEqualTo(6);
        app.fx(one::fire);
        assertThat(app.fx(k::getValue)).isEqualTo(1);
        assertThat(app.fx(() -> app.vm().prompt().fewKProperty().get())).isEqualTo(6);
        app.fx(few::fire);
        assertThat(app.fx(k::getValue)).isEqualTo(6);
        assertThat(app.fx(() -> k.getEditor().getText())).isEqualTo("6");
        // Few never goes below two demonstrations, typed or stepped.
        app.fx(() -> k.decrement(10));
        assertThat(app.fx(k::getValue)).isEqualTo(2);
        app.fx(() -> {
            k.getEditor().setText("1");
            k.commitValue();
        });
        assertThat(app.fx(k::getValue)).isEqualTo(2);
        assertThat(app.fx(() -> app.vm().prompt().fewKProperty().get())).isEqualTo(2);
    }

    @Test
    void theVerdictIsSaidOnceAboveTheHeatmapAndExportsStillCarryIt() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        app.fx(() -> app.vm().reviewProperty().set(REVIEW));
        AnalysisResult r = app.waitForResult(x -> true);
        assertThat(r.explanation()).isNotEmpty();
        Label verdict = app.lookup("#verdict");
        assertThat(app.fx(verdict::getText)).isEqualTo(r.explanation());

        HeatmapPlot onScreen = (HeatmapPlot) app.fx(() -> app.vm().heatmapProperty().get());
        assertThat(onScreen.data().explanation()).isEmpty();
        String words = r.explanation().substring(0, Math.min(24, r.explanation().length()));
        assertThat(svg(onScreen)).doesNotContain(words);

        Path out = dir.resolve("export");
        // Wait for every file, not just the first: the temporary folder is deleted after the test.
        app.fx(() -> app.vm().export().exportAll(out)).get(AppHarness.TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(Files.readString(out.resolve("heatmap.svg"), StandardCharsets.UTF_8)).contains(words);
    }

    private static String svg(Plot plot) {
        SVGGraphics2D g = new SVGGraphics2D(900, 700);
        plot.renderer(dev.logitscope.plot.PlotTheme.light()).draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, 900, 700));
        return g.getSVGElement();
    }

    @Test
    void aTwoLineVerdictDoesNotMoveTheTabs() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        Label verdict = app.lookup("#verdict");
        TabPane views = app.lookup("#views");
        app.fx(() -> verdict.textProperty().unbind());
        double shortTop = tabsTopAfter(verdict, views, "The model answers positive.");
        String twoLines = "The model answers positive from layer 3 on; layers 1 and 2 had it right before the"
                + " answer reversed at layer 4 (overthinking), and the final layer answers negative with P = 0.61"
                + " while the gold label says positive, so the last layers talk the model out of the right answer.";
        double longTop = tabsTopAfter(verdict, views, twoLines);
        assertThat(app.fx(() -> verdict.getHeight())).isGreaterThan(1.5 * app.fx(() -> verdict.getFont().getSize()));
        assertThat(longTop).isEqualTo(shortTop);
        assertThat(tabsTopAfter(verdict, views, "")).isEqualTo(shortTop);
    }

    private double tabsTopAfter(Label verdict, TabPane views, String text) throws Exception {
        app.fx(() -> verdict.setText(text));
        WaitForAsyncUtils.waitForFxEvents();
        return app.fx(() -> {
            verdict.getScene().getRoot().layout();
            Bounds b = views.localToScene(views.getBoundsInLocal());
            return b.getMinY();
        });
    }

    @Test
    void compareTheWindowTheSplitsAndTheTabsSurviveARestart() throws Exception {
        JsonSessionStore store = new JsonSessionStore(dir.resolve("config").resolve("session.json"));
        openWithTiny(store);
        Stage stage = (Stage) app.fx(() -> app.window.scene().getWindow());
        app.fx(() -> {
            app.vm().compareProperty().set(true);
            stage.setX(40);
            stage.setY(30);
            stage.setWidth(1100);
            stage.setHeight(700);
            SplitPane main = app.lookup("#mainSplit");
            main.setDividerPosition(0, 0.33);
            SplitPane layers = app.lookup("#layersSplit");
            layers.setDividerPosition(0, 0.62);
            TabPane views = app.lookup("#views");
            views.getSelectionModel().select(1);
            TabPane modes = app.lookup("#modes");
            modes.getSelectionModel().select(1);
        });
        WaitForAsyncUtils.waitForFxEvents();
        app.close();
        String json = Files.readString(store.file(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"compare\": true");
        // The test toolkit reuses its stage: move it away, so only the session can bring it back.
        app.fx(() -> {
            stage.setX(200);
            stage.setY(150);
            stage.setWidth(1000);
            stage.setHeight(650);
        });

        app.open(store, AppHarness.offlineHub(dir.resolve("hub")), Optional.empty());
        app.waitForModel();
        Stage again = (Stage) app.fx(() -> app.window.scene().getWindow());
        assertThat(app.fx(() -> app.vm().compareProperty().get())).isTrue();
        Node compareButton = app.lookup("#compare");
        assertThat(app.fx(() -> ((ToggleButton) compareButton).isSelected())).isTrue();
        assertThat(app.fx(again::getX)).isEqualTo(40.0);
        assertThat(app.fx(again::getY)).isEqualTo(30.0);
        assertThat(app.fx(again::getWidth)).isEqualTo(1100.0);
        assertThat(app.fx(again::getHeight)).isEqualTo(700.0);
        SplitPane main = app.lookup("#mainSplit");
        SplitPane layers = app.lookup("#layersSplit");
        assertThat(app.fx(() -> main.getDividerPositions()[0])).isCloseTo(0.33, org.assertj.core.data.Offset.offset(0.01));
        assertThat(app.fx(() -> layers.getDividerPositions()[0])).isCloseTo(0.62, org.assertj.core.data.Offset.offset(0.01));
        TabPane views = app.lookup("#views");
        TabPane modes = app.lookup("#modes");
        assertThat(app.fx(() -> views.getSelectionModel().getSelectedIndex())).isEqualTo(1);
        assertThat(app.fx(() -> modes.getSelectionModel().getSelectedIndex())).isEqualTo(1);
        assertThat(app.fx(() -> app.vm().gridWantedProperty().get())).isTrue();
    }
}
