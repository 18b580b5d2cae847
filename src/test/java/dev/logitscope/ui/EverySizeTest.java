package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.LocalHub;
import dev.logitscope.plot.LabelHeatmap;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.ui.plot.HeatmapPlot;
import dev.logitscope.ui.plot.PlotCanvas;
import dev.logitscope.ui.prompt.ShotMode;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.awt.Dimension;
import java.awt.geom.Rectangle2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Every size, both themes: at 1280×720 and at the window's minimum size, in the light and the dark
 * theme, no control text is ellipsised or cut off, and the heatmap's columns and colour bars fit
 * its place — with a model loaded and a review analysed, on the token × layer grid, with a long
 * error in the status line, and on the Evaluate and Fine-tune tabs.
 */
class EverySizeTest {
    /** Marks "the window's minimum size" among the sizes. */
    private static final int MINIMUM = -1;

    @TempDir
    static Path shared;
    static TinyCheckpoint tiny;

    @TempDir
    Path dir;
    final AppHarness app = new AppHarness();

    @BeforeAll
    static void checkpoint() throws Exception {
        // A fine-tuned model's folder name is longer than "gpt2": the summaries must cope with it.
        TinyCheckpoint.Builder builder = TinyCheckpoint.builder().nLayer(12).nEmbd(16).nHead(2).nPositions(1024).seed(5);
        SharedFiles.root().map(r -> r.resolve("gpt2-tokenizer")).filter(Files::isDirectory)
                .ifPresent(builder::realTokenizer);
        tiny = builder.write(shared.resolve("gpt2-sst2-finetuned"));
    }

    @AfterEach
    void close() throws Exception {
        app.closeIfOpen();
    }

    static Stream<Arguments> sizesAndThemes() {
        return Stream.of(
                Arguments.of(1280, 720, "light"),
                Arguments.of(1280, 720, "dark"),
                Arguments.of(MINIMUM, MINIMUM, "light"),
                Arguments.of(MINIMUM, MINIMUM, "dark"));
    }

    @ParameterizedTest(name = "{0}×{1} {2} (-1: the minimum size)")
    @MethodSource("sizesAndThemes")
    void noTextIsCutAndTheHeatmapFits(int width, int height, String theme) throws Exception {
        Session session = new Session("", List.of(), "seed-notebook", 4, 4, "correct", "", "", "", false, "",
                theme, false);
        app.open(SessionStore.inMemory(session), AppHarness.offlineHub(dir.resolve("hub")),
                Optional.of(tiny.folder().toString()));
        Stage stage = (Stage) app.fx(() -> app.window.scene().getWindow());
        app.fx(() -> {
            stage.setWidth(width == MINIMUM ? stage.getMinWidth() : width);
            stage.setHeight(height == MINIMUM ? stage.getMinHeight() : height);
        });
        app.waitForModel();
        String size = app.fx(() -> String.format(Locale.ROOT, "%.0f×%.0f %s", app.window.scene().getWidth(),
                app.window.scene().getHeight(), theme));
        if (width != MINIMUM) {
            assertThat(size).startsWith(width + "×" + height);
        }

        // A sample review with its gold label, few-shot, compared with flipped and zero-shot.
        app.fx(() -> {
            app.vm().prompt().shotModeProperty().set(ShotMode.FEW);
            app.vm().compareProperty().set(true);
            app.vm().useSample(app.vm().samples().get(0));
        });
        app.waitForResult(r -> r.trajectories().size() > 1);
        List<String> cut = new ArrayList<>(cutText(size + ", an analysed review"));
        cut.addAll(heatmapProblems(size));

        TabPane views = app.lookup("#views");
        app.fx(() -> views.getSelectionModel().select(1));
        app.waitFor(() -> app.vm().gridProperty().get() != null);
        cut.addAll(cutText(size + ", the token × layer grid"));
        app.fx(() -> views.getSelectionModel().select(0));

        // A review longer than the context: the error goes to the verdict line, the plots and the status line.
        app.fx(() -> app.vm().reviewProperty().set("The film drags on and on. ".repeat(200).strip()));
        Label status = app.lookup("#status");
        app.waitFor(() -> !app.vm().analysingProperty().get() && status.getText().contains("shorten"));
        cut.addAll(cutText(size + ", a review too long for the context"));

        TabPane modes = app.lookup("#modes");
        app.fx(() -> modes.getSelectionModel().select(1));
        WaitForAsyncUtils.waitForFxEvents();
        cut.addAll(cutText(size + ", the Evaluate tab"));
        app.fx(() -> modes.getSelectionModel().select(2));
        // a run's rows as wide as they come: four-digit memory with its increase per batch
        app.fx(() -> app.vm().finetune().epochRows().setAll(
                new dev.logitscope.train.EpochMetrics(1, 0.7009, 0.465, 0.7294, 45.5, 8.8, 1072, 183),
                new dev.logitscope.train.EpochMetrics(12, 0.5232, 1.0, 0.7550, 1049.0, 118.2, 3012, 1500)));
        WaitForAsyncUtils.waitForFxEvents();
        cut.addAll(cutText(size + ", the Fine-tune tab"));
        app.fx(() -> app.vm().finetune().objectiveProperty().set("lm"));
        cut.addAll(cutText(size + ", the Fine-tune tab with the LM's options"));

        assertThat(cut).as("cut or ellipsised text at " + size).isEmpty();
    }

    @Test
    void aFirstStartAndADownloadAtTheMinimumSizeShowTheirWordsWhole() throws Exception {
        try (LocalHub hub = new LocalHub().model("distilbert/distilgpt2", tiny.folder()).slowly(4096, 20)) {
            HubSettings online = new HubSettings(hub.endpoint(), dir.resolve("cache"), Optional.empty(), false);
            app.open(SessionStore.inMemory(Session.defaults()), online, Optional.empty());
            Stage stage = (Stage) app.fx(() -> app.window.scene().getWindow());
            app.fx(() -> {
                stage.setWidth(stage.getMinWidth());
                stage.setHeight(stage.getMinHeight());
            });
            app.waitFor(() -> app.vm().bannerProperty().get() != null);
            List<String> cut = new ArrayList<>(cutText("a first start"));

            Label progress = app.lookup("#progressText");
            app.fx(() -> app.vm().modelBar().load("distilgpt2"));
            app.waitFor(() -> progress.isVisible() && progress.getText().startsWith("Downloading "));
            cut.addAll(cutText("a download"));
            app.fx(() -> app.vm().modelBar().cancel());
            app.waitFor(() -> !app.vm().modelBar().busyProperty().get());
            assertThat(cut).isEmpty();
        }
    }

    private List<String> cutText(String where) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        return app.fx(() -> CutText.in(app.window.scene()).stream().map(s -> where + ": " + s).toList());
    }

    /**
     * The heatmap shows every column and its colour bars: the canvas is at least as large as the
     * heatmap's own size (its preferred width; its height with the rows squeezed away) at the scale
     * it is drawn at, and no part of the canvas is hidden beside the trajectory or past the window.
     */
    private List<String> heatmapProblems(String size) throws Exception {
        PlotCanvas canvas = app.lookup("#heatmap");
        return app.fx(() -> {
            List<String> problems = new ArrayList<>();
            HeatmapPlot plot = (HeatmapPlot) canvas.plotProperty().get();
            LabelHeatmap renderer = plot.renderer(app.vm().themeProperty().get().plotTheme());
            Dimension natural = renderer.preferredSize();
            Rectangle2D.Double area = new Rectangle2D.Double(0, 0, natural.width, natural.height);
            double rowHeight = renderer.cellBounds(area, 0, 0).getHeight();
            double rowsAway = natural.height - plot.rows() * rowHeight; // title, header, colour bars
            double scale = canvas.drawScale();
            if (natural.width * scale > canvas.getWidth() + 0.5) {
                problems.add(String.format(Locale.ROOT, "%s: the heatmap needs %.0f px at scale %.2f, its canvas is %.0f px wide",
                        size, natural.width * scale, scale, canvas.getWidth()));
            }
            if (rowsAway * scale > canvas.getHeight() + 0.5) {
                problems.add(String.format(Locale.ROOT, "%s: the heatmap's header and colour bars need %.0f px, its canvas is %.0f px high",
                        size, rowsAway * scale, canvas.getHeight()));
            }
            Bounds shown = canvas.localToScene(canvas.getLayoutBounds());
            for (Node n = canvas; n != null; n = n.getParent()) {
                Bounds within = n.getClip() == null ? null : n.localToScene(n.getClip().getBoundsInParent());
                if (within != null && (shown.getMinX() < within.getMinX() - 0.5 || shown.getMaxX() > within.getMaxX() + 0.5
                        || shown.getMinY() < within.getMinY() - 0.5 || shown.getMaxY() > within.getMaxY() + 0.5)) {
                    problems.add(size + ": the heatmap's canvas " + shown + " is cut by " + n.getClass().getSimpleName()
                            + " to " + within);
                }
            }
            Bounds window = new javafx.geometry.BoundingBox(0, 0, app.window.scene().getWidth(), app.window.scene().getHeight());
            if (!window.contains(shown)) {
                problems.add(size + ": the heatmap's canvas " + shown + " runs past the window");
            }
            return problems;
        });
    }
}
