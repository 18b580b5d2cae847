package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.analysis.LayerVerdict;
import dev.logitscope.ui.model.Banner;
import dev.logitscope.ui.plot.HeatmapPlot;
import dev.logitscope.ui.prompt.ShotMode;
import dev.logitscope.ui.session.JsonSessionStore;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real main window, headless, against a tiny random GPT-2. */
class MainWindowTest {
    static final String REVIEW = "A warm, funny and beautifully acted film.";

    @TempDir
    static Path shared;
    static TinyCheckpoint tiny;

    @TempDir
    Path dir;
    final AppHarness app = new AppHarness();

    @BeforeAll
    static void checkpoint() throws Exception {
        tiny = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(7).write(shared.resolve("tiny"));
    }

    @AfterEach
    void close() throws Exception {
        app.closeIfOpen();
    }

    private MainWindow openWithTiny(SessionStore store) throws Exception {
        return app.openWithModel(store, dir.resolve("hub"), tiny.folder());
    }

    private static String previewText(TextFlow flow) {
        return flow.getChildren().stream().map(n -> ((Text) n).getText()).collect(Collectors.joining());
    }

    private static double[] normalised(AnalysisResult r) {
        return r.verdicts().stream().mapToDouble(LayerVerdict::normalizedPositive).toArray();
    }

    @Test
    void typingAReviewUpdatesTheHeatmapAndTheStatus() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        TextArea review = app.lookup("#review");
        app.fx(() -> review.setText(REVIEW));
        AnalysisResult first = app.waitForResult(r -> true);

        assertThat(first.verdicts()).hasSize(tiny.nLayer() + 1);
        assertThat(first.verdicts().get(0).name()).isEqualTo("embed");
        HeatmapPlot heatmap = (HeatmapPlot) app.fx(() -> app.vm().heatmapProperty().get());
        assertThat(heatmap.rows()).isEqualTo(tiny.nLayer() + 1);
        assertThat(heatmap.data().labels()).containsExactly("positive", "negative");
        assertThat(heatmap.data().rows().get(2).normalizedPositive())
                .isEqualTo(first.verdicts().get(2).normalizedPositive());
        Label status = app.lookup("#status");
        assertThat(app.fx(status::getText)).contains("final answer");
        Label verdict = app.lookup("#verdict");
        assertThat(app.fx(verdict::getText)).startsWith("The model answers");
        dev.logitscope.ui.plot.PlotCanvas heatmapCanvas = app.lookup("#heatmap");
        assertThat(app.fx(heatmapCanvas::getAccessibleText)).startsWith("Heatmap").contains(app.fx(verdict::getText));

        // Keep typing: the analysis follows the text, and only the latest text's result is shown.
        app.fx(() -> {
            review.appendText(" I");
            review.appendText(" hated");
            review.appendText(" it.");
        });
        AnalysisResult second = app.waitForResult(r -> r.generation() > first.generation());
        assertThat(second.review()).isEqualTo(REVIEW + " I hated it.");
        assertThat(second.prompt().text()).contains("I hated it.");
        assertThat(normalised(second)).isNotEqualTo(normalised(first));
    }

    @Test
    void typingWithTheKeyboardReachesTheAnalysis() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        app.robot.clickOn("#review").write("Dull.");
        AnalysisResult r = app.waitForResult(x -> true);
        assertThat(r.review()).isEqualTo("Dull.");
    }

    @Test
    void shotModeAndDemoLabelsChangeThePreviewAndTheNumbers() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        app.fx(() -> app.vm().reviewProperty().set(REVIEW));
        AnalysisResult zero = app.waitForResult(r -> true);
        TextFlow preview = app.lookup("#preview");
        String zeroText = app.fx(() -> previewText(preview));
        assertThat(zeroText).isEqualTo(zero.prompt().text()).contains(REVIEW);
        assertThat(zero.prompt().shots()).isZero();

        ToggleButton few = app.lookup("#fewShot");
        app.fx(few::fire);
        AnalysisResult fewShot = app.waitForResult(r -> r.prompt().shots() == 4);
        assertThat(app.fx(() -> app.vm().prompt().shotModeProperty().get())).isEqualTo(ShotMode.FEW);
        String fewText = app.fx(() -> previewText(preview));
        assertThat(fewText).isEqualTo(fewShot.prompt().text()).isNotEqualTo(zeroText).endsWith(
                zeroText.substring(zeroText.indexOf(REVIEW)));
        assertThat(app.fx(() -> styled(preview, "preview-demo-label"))).isNotEmpty();
        assertThat(app.fx(() -> styled(preview, "preview-flipped-label"))).isEmpty();
        assertThat(app.fx(() -> styled(preview, "preview-query"))).isNotEmpty();
        assertThat(normalised(fewShot)).isNotEqualTo(normalised(zero));
        Label tokens = app.lookup("#tokenCount");
        assertThat(app.fx(tokens::getText)).contains(fewShot.analysis().promptTokens() + " / 1024 tokens", "4 demonstrations");

        ToggleButton flipped = app.lookup("#flippedLabels");
        app.fx(flipped::fire);
        AnalysisResult flippedResult = app.waitForResult(r -> r.prompt().demos().stream().allMatch(
                d -> d.flipped()));
        assertThat(app.fx(() -> app.vm().prompt().demoLabelsProperty().get())).isEqualTo(DemoLabels.FLIPPED);
        assertThat(app.fx(() -> styled(preview, "preview-flipped-label"))).hasSize(4);
        assertThat(app.fx(() -> previewText(preview))).isNotEqualTo(fewText);
        assertThat(normalised(flippedResult)).isNotEqualTo(normalised(fewShot));

        // Other demonstrations: a different draw from the pool, same settings otherwise, kept in the session.
        javafx.scene.control.Button other = app.lookup("#otherDemos");
        List<String> before = flippedResult.prompt().demos().stream().map(d -> d.review()).toList();
        app.fx(other::fire);
        AnalysisResult redrawn = app.waitForResult(r -> !r.prompt().demos().stream().map(d -> d.review()).toList()
                .equals(before));
        assertThat(redrawn.prompt().demos()).hasSize(4).allMatch(d -> d.flipped());
        assertThat(app.fx(() -> app.vm().session().demoSeed())).isEqualTo(1);
        ToggleButton zeroButton = app.lookup("#zeroShot");
        app.fx(zeroButton::fire);
        assertThat(app.fx(other::isDisabled)).isTrue();
    }

    private static List<String> styled(TextFlow flow, String styleClass) {
        return flow.getChildren().stream().filter(n -> n.getStyleClass().contains(styleClass))
                .map(n -> ((Text) n).getText()).toList();
    }

    @Test
    void exportWritesFilesThatParse() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        app.fx(() -> app.vm().gridWantedProperty().unbind());
        app.fx(() -> {
            app.vm().gridWantedProperty().set(true);
            app.vm().reviewProperty().set(REVIEW);
        });
        app.waitForResult(AnalysisResult::grid);
        Path out = dir.resolve("export");
        javafx.scene.control.MenuBar menus = app.lookup("#menuBar");
        javafx.scene.control.MenuItem exportAll = menus.getMenus().get(0).getItems().stream()
                .filter(i -> "exportAllItem".equals(i.getId())).findFirst().orElseThrow();
        var pending = app.fx(() -> app.vm().export().exportAll(out));
        // Written off the FX thread; the export commands wait meanwhile.
        assertThat(app.fx(exportAll::isDisable) || pending.isDone()).isTrue();
        List<Path> written = pending.get(AppHarness.TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(app.fx(exportAll::isDisable)).isFalse();

        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("heatmap.png",
                "heatmap.svg", "heatmap.pdf", "grid.png", "grid.svg", "grid.pdf", "trajectory.png", "trajectory.svg",
                "trajectory.pdf", "layers.csv", "analysis.json");
        for (String png : List.of("heatmap.png", "grid.png", "trajectory.png")) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(out.resolve(png)), 8);
            assertThat(head).as(png).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        }
        for (String svg : List.of("heatmap.svg", "grid.svg", "trajectory.svg")) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            var doc = factory.newDocumentBuilder().parse(out.resolve(svg).toFile());
            assertThat(doc.getDocumentElement().getNodeName()).as(svg).isEqualTo("svg");
        }
        for (String pdf : List.of("heatmap.pdf", "grid.pdf", "trajectory.pdf")) {
            // titled with the model (the tiny checkpoint's folder), the condition, the lens and the review
            String text = dev.logitscope.plot.Pdfs.read(out.resolve(pdf)).text().replaceAll("\\s+", " ");
            assertThat(text).as(pdf).contains(tiny.folder().getFileName() + " · ").contains("· logit lens")
                    .contains("Review: “" + REVIEW.substring(0, 12));
        }
        List<String> csv = Files.readAllLines(out.resolve("layers.csv"), StandardCharsets.UTF_8);
        assertThat(csv).hasSize(tiny.nLayer() + 3); // provenance comment + header + embed + one row per block
        assertThat(csv.get(0)).startsWith("# logitscope:provenance {");
        assertThat(csv.get(1)).startsWith("layer,name,p_positive,p_negative");
        var json = JsonParser.parseString(Files.readString(out.resolve("analysis.json"))).getAsJsonObject();
        // every file carries the same provenance: the model's files by hash, the prompt, the lens, the machine
        var provenance = json.getAsJsonObject("provenance");
        assertThat(provenance.getAsJsonObject("model").getAsJsonObject("sha256").get("model.safetensors").getAsString())
                .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(tiny.folder().resolve("model.safetensors")))));
        assertThat(provenance.getAsJsonObject("lens").get("name").getAsString()).isEqualTo("logit lens");
        assertThat(provenance.getAsJsonObject("run").getAsJsonObject("machine").get("cores").getAsInt())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(JsonParser.parseString(csv.get(0).substring("# logitscope:provenance ".length()))).isEqualTo(provenance);
        for (String pdf : List.of("heatmap.pdf", "grid.pdf", "trajectory.pdf")) {
            assertThat(JsonParser.parseString(dev.logitscope.plot.Pdfs.metadata(out.resolve(pdf)).info("logitscope:provenance")))
                    .as(pdf).isEqualTo(provenance);
        }
        assertThat(Files.readString(out.resolve("heatmap.svg"))).contains("key=\"logitscope:provenance\"");
        assertThat(json.getAsJsonArray("layers")).hasSize(tiny.nLayer() + 1);
        assertThat(json.get("prompt").getAsString()).contains(REVIEW);
        assertThat(json.getAsJsonArray("layers").get(0).getAsJsonObject().has("prediction")).isTrue();

        // A path that cannot be written: one clear banner, no exception.
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
        app.fx(() -> app.vm().export().export(dev.logitscope.ui.export.ExportTarget.HEATMAP,
                blocker.resolve("heatmap.png"))).get(AppHarness.TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        Banner banner = app.fx(() -> app.vm().bannerProperty().get());
        assertThat(banner.kind()).isEqualTo(Banner.Kind.ERROR);
        assertThat(banner.message()).startsWith("Cannot write " + blocker.resolve("heatmap.png"));
        HBox bannerBox = app.lookup("#banner");
        assertThat(app.fx(bannerBox::isVisible)).isTrue();
    }

    @Test
    void clearingTheReviewForgetsTheShownAnalysis() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        app.fx(() -> app.vm().reviewProperty().set(REVIEW));
        app.waitForResult(r -> true);
        javafx.scene.control.MenuBar menus = app.lookup("#menuBar");
        javafx.scene.control.MenuItem exportAll = menus.getMenus().get(0).getItems().stream()
                .filter(i -> "exportAllItem".equals(i.getId())).findFirst().orElseThrow();
        assertThat(app.fx(exportAll::isDisable)).isFalse();

        app.fx(() -> app.vm().reviewProperty().set(""));
        app.waitFor(() -> app.vm().result() == null);
        // Replotting (log scale, theme, grid mode) must not bring the old review back.
        app.fx(() -> {
            app.vm().logScaleProperty().set(true);
            app.vm().themeProperty().set(app.vm().themeProperty().get() == Theme.LIGHT ? Theme.DARK : Theme.LIGHT);
            app.vm().gridModeProperty().set(dev.logitscope.plot.TokenGridData.Mode.ENTROPY);
        });
        assertThat(app.fx(() -> app.vm().heatmapProperty().get())).isNotInstanceOf(HeatmapPlot.class);
        assertThat(app.fx(() -> app.vm().trajectoryProperty().get()))
                .isNotInstanceOf(dev.logitscope.ui.plot.TrajectoryPlot.class);
        Label verdict = app.lookup("#verdict");
        Label tokens = app.lookup("#tokenCount");
        Label ids = app.lookup("#labelIds");
        TextFlow preview = app.lookup("#preview");
        assertThat(app.fx(verdict::getText)).isEmpty();
        assertThat(app.fx(tokens::getText)).isEmpty();
        assertThat(app.fx(ids::getText)).isEmpty();
        assertThat(app.fx(() -> previewText(preview))).isEmpty();

        assertThat(app.fx(exportAll::isDisable)).isTrue();
        Path out = dir.resolve("stale-export");
        assertThat(app.fx(() -> app.vm().export().exportAll(out)).get()).isEmpty();
        assertThat(out).doesNotExist();
        assertThat(app.fx(() -> app.vm().bannerProperty().get().kind())).isEqualTo(Banner.Kind.WARNING);
    }

    @Test
    void aLongReviewsGridIsPagedOnScreenAndInTheExport() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        String longReview = String.join(" ", java.util.Collections.nCopies(12,
                "The plot wanders, yet the acting keeps it alive."));
        javafx.scene.control.TabPane views = app.lookup("#views");
        app.fx(() -> {
            views.getSelectionModel().select(1); // the grid tab: the grid is computed and shown
            app.vm().reviewProperty().set(longReview);
        });
        app.waitForResult(AnalysisResult::grid);
        var gridPlot = (dev.logitscope.ui.plot.GridPlot) app.fx(() -> app.vm().gridProperty().get());
        assertThat(gridPlot.columns()).isGreaterThan(250); // about 72 px each: wider than a 16384 px texture

        dev.logitscope.ui.plot.PlotCanvas canvas = app.lookup("#grid");
        javafx.scene.control.ScrollBar bar = app.lookup("#gridColumns");
        app.waitFor(() -> canvas.getWidth() > 0 && canvas.plotProperty().get() instanceof dev.logitscope.ui.plot.GridPlot);
        assertThat(app.fx(canvas::getWidth)).isLessThan(4096);
        var page = (dev.logitscope.ui.plot.GridPlot) app.fx(() -> canvas.plotProperty().get());
        assertThat(page.firstColumn()).isZero();
        assertThat(page.endColumn()).isBetween(1, gridPlot.columns() - 1);
        assertThat(app.fx(bar::isVisible)).isTrue();

        // Scrolled: the canvas draws later columns, and the tooltip names their absolute positions.
        app.fx(() -> bar.setValue(200));
        var scrolled = (dev.logitscope.ui.plot.GridPlot) app.fx(() -> canvas.plotProperty().get());
        assertThat(scrolled.firstColumn()).isEqualTo(200);
        var cell = scrolled.renderer(dev.logitscope.plot.PlotTheme.light()).cellBounds(
                new java.awt.geom.Rectangle2D.Double(0, 0, canvas.getWidth(), canvas.getHeight()), 1, 200);
        String tip = app.fx(() -> scrolled.describeAt(cell.getCenterX(), cell.getCenterY(), canvas.getWidth(),
                canvas.getHeight()).orElseThrow());
        assertThat(tip).contains("position " + gridPlot.data().columns().get(200).position() + " ");

        Path out = dir.resolve("long");
        List<Path> written = app.fx(() -> app.vm().export().exportAll(out)).get(AppHarness.TIMEOUT_SECONDS,
                java.util.concurrent.TimeUnit.SECONDS);
        List<String> names = written.stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).contains("heatmap.png", "trajectory.png", "trajectory.svg", "layers.csv", "analysis.json",
                "grid-columns-1-120.png", "grid-columns-1-120.svg").doesNotContain("grid.png");
        assertThat(names.stream().filter(n -> n.startsWith("grid-columns-") && n.endsWith(".png")).count())
                .isEqualTo((gridPlot.columns() + 119) / 120);
        var image = javax.imageio.ImageIO.read(out.resolve("grid-columns-1-120.png").toFile());
        assertThat(image.getWidth()).isLessThan(32767);
        assertThat(app.fx(() -> app.vm().bannerProperty().get().kind())).isEqualTo(Banner.Kind.INFO);
    }

    @Test
    void closingTheWindowDuringAnAnalysisDoesNotWaitForIt() throws Exception {
        var inside = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        var real = new dev.logitscope.ui.analysis.LensAnalyzer();
        dev.logitscope.ui.analysis.Analyzer holding = job -> {
            try (var lease = job.engine().lease()) { // as a long analysis holds the engine
                inside.countDown();
                release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return real.analyze(job);
        };
        app.open(new AppContext(SessionStore.inMemory(Session.defaults()), AppHarness.offlineHub(dir.resolve("hub")),
                Optional.of(tiny.folder().toString()), holding));
        try {
            app.waitForModel();
            app.fx(() -> app.vm().reviewProperty().set(REVIEW));
            assertThat(inside.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // Closing saves and closes the model; the FX thread must not wait for the analysis' lease.
            org.testfx.util.WaitForAsyncUtils.asyncFx(() -> org.testfx.api.FxToolkit.toolkitContext()
                    .getRegisteredStage().hide()).get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(app.fx(() -> app.vm().modelBar().engine())).isNull();
        } finally {
            release.countDown();
        }
    }

    @Test
    void theHeatmapIsShownBeforeTheGridAndOverlayAreDone() throws Exception {
        var release = new java.util.concurrent.CountDownLatch(1);
        var real = new dev.logitscope.ui.analysis.LensAnalyzer();
        // Publishes the early result, then holds the rest until the test has seen the heatmap.
        dev.logitscope.ui.analysis.Analyzer slowTail = new dev.logitscope.ui.analysis.Analyzer() {
            @Override
            public dev.logitscope.ui.analysis.AnalysisResult analyze(dev.logitscope.ui.analysis.AnalysisJob job)
                    throws dev.logitscope.model.ModelException {
                return real.analyze(job);
            }

            @Override
            public dev.logitscope.ui.analysis.AnalysisResult analyze(dev.logitscope.ui.analysis.AnalysisJob job,
                    java.util.function.Consumer<dev.logitscope.ui.analysis.AnalysisResult> early)
                    throws dev.logitscope.model.ModelException {
                return real.analyze(job, first -> {
                    early.accept(first);
                    try {
                        release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        };
        app.open(new AppContext(SessionStore.inMemory(Session.defaults()), AppHarness.offlineHub(dir.resolve("hub")),
                Optional.of(tiny.folder().toString()), slowTail));
        try {
            app.waitForModel();
            javafx.scene.control.TabPane views = app.lookup("#views");
            app.fx(() -> {
                views.getSelectionModel().select(1); // the grid tab: the grid is wanted
                app.vm().compareProperty().set(true);
                app.vm().reviewProperty().set(REVIEW);
            });
            // Shown while the analysis is still running (waitForResult would wait for it to end).
            app.waitFor(() -> app.vm().result() != null);
            var early = app.fx(() -> app.vm().result());
            assertThat(app.fx(() -> app.vm().analysingProperty().get())).as("still analysing").isTrue();
            assertThat(early.grid()).as("the early result carries no grid yet").isFalse();
            assertThat(early.trajectories()).containsOnlyKeys(dev.logitscope.ui.analysis.LensAnalyzer.THIS_PROMPT);
            assertThat(early.verdicts()).hasSize(tiny.nLayer() + 1);
        } finally {
            release.countDown();
        }
        var full = app.waitForResult(r -> r.grid() && r.trajectories().size() > 1);
        assertThat(full.verdicts()).hasSize(tiny.nLayer() + 1);
    }

    @Test
    void exportingTheGridBeforeItIsComputedIsRefused() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        app.fx(() -> app.vm().reviewProperty().set(REVIEW));
        app.waitForResult(r -> true); // the grid tab was never opened: no grid yet
        Path file = dir.resolve("grid.png");
        List<Path> written = app.fx(() -> app.vm().export().export(dev.logitscope.ui.export.ExportTarget.GRID, file))
                .get(AppHarness.TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(written).isEmpty();
        assertThat(file).doesNotExist();
        Banner banner = app.fx(() -> app.vm().bannerProperty().get());
        assertThat(banner.kind()).isEqualTo(Banner.Kind.WARNING);
        assertThat(banner.message()).contains("grid is not computed yet");
        // The numbers do not need the grid.
        Path csv = dir.resolve("grid.csv");
        assertThat(app.fx(() -> app.vm().export().export(dev.logitscope.ui.export.ExportTarget.GRID, csv))
                .get(AppHarness.TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)).containsExactly(csv);
    }

    @Test
    void theEditableSpinnersKeepTheirValueOnTextThatIsNotANumber() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        app.fx(() -> app.vm().prompt().shotModeProperty().set(ShotMode.FEW));
        List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread fx = app.fx(Thread::currentThread);
        var previous = fx.getUncaughtExceptionHandler();
        fx.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try {
            for (String id : List.of("#fewK", "#evalSeeds")) {
                javafx.scene.control.Spinner<Integer> spinner = app.lookup(id);
                int before = app.fx(spinner::getValue);
                app.fx(() -> {
                    spinner.getEditor().setText("abc"); // refused by the field
                    spinner.commitValue();
                    spinner.getEditor().setText("");
                    spinner.commitValue();
                    spinner.getEditor().fireEvent(new javafx.event.ActionEvent());
                });
                org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
                assertThat(app.fx(spinner::getValue)).as(id).isEqualTo(before);
                assertThat(app.fx(() -> spinner.getEditor().getText())).as(id).isEqualTo(Integer.toString(before));
                app.fx(() -> {
                    spinner.getEditor().setText("3");
                    spinner.commitValue();
                });
                assertThat(app.fx(spinner::getValue)).as(id).isEqualTo(3);
            }
            assertThat(app.fx(() -> app.vm().prompt().fewKProperty().get())).isEqualTo(3);
            assertThat(app.fx(() -> app.vm().evaluate().seedsProperty().get())).isEqualTo(3);
        } finally {
            fx.setUncaughtExceptionHandler(previous);
        }
        assertThat(uncaught).isEmpty();
    }

    @Test
    void tabLeavesTheReviewAndTheSampleShortcutExists() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        TextArea review = app.lookup("#review");
        app.robot.clickOn("#review").write("Fine.");
        app.robot.push(javafx.scene.input.KeyCode.TAB);
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        assertThat(app.fx(() -> review.getText())).isEqualTo("Fine.");
        assertThat(app.fx(() -> review.isFocused())).isFalse();

        // Accelerators use the platform's shortcut key (Cmd on macOS), not a hard-wired Ctrl.
        javafx.scene.control.MenuBar menus = app.lookup("#menuBar");
        List<javafx.scene.control.MenuItem> items = app.fx(() -> menus.getMenus().stream()
                .flatMap(m -> m.getItems().stream()).filter(i -> i.getAccelerator() != null).toList());
        assertThat(items).allSatisfy(i -> assertThat(i.getAccelerator().getControl())
                .as(i.getText()).isEqualTo(javafx.scene.input.KeyCombination.ModifierValue.UP));
        javafx.scene.control.MenuItem samples = items.stream().filter(i -> "samplesItem".equals(i.getId())).findFirst()
                .orElseThrow();
        assertThat(samples.getAccelerator()).isEqualTo(MainViewModel.SAMPLES_SHORTCUT);
        app.fx(() -> samples.fire());
        javafx.scene.control.MenuButton menu = app.lookup("#samples");
        app.waitFor(menu::isShowing);
        app.fx(() -> menu.hide());

        app.fx(() -> app.vm().reviewProperty().set(""));
        Label status = app.lookup("#status");
        app.waitFor(() -> status.getText().contains(MainViewModel.SAMPLES_SHORTCUT.getDisplayText()));
    }

    @Test
    void startingOfflineWithoutAModelShowsTheBanner() throws Exception {
        app.open(SessionStore.inMemory(Session.defaults()), AppHarness.offlineHub(dir.resolve("empty-hub")),
                Optional.empty());
        HBox bannerBox = app.lookup("#banner");
        Label text = app.lookup("#bannerText");
        assertThat(app.fx(bannerBox::isVisible)).isTrue();
        assertThat(app.fx(text::getText)).contains("No model yet", "offline", "open its folder", "HF_HOME");
        assertThat(app.fx(() -> app.vm().modelBar().engine())).isNull();
        // Typing without a model is harmless.
        app.fx(() -> app.vm().reviewProperty().set(REVIEW));
        app.fx(() -> app.vm().analyzeNow());
        assertThat(app.fx(() -> app.vm().result())).isNull();
    }

    @Test
    void aRememberedHubModelThatIsNotCachedOfflineSaysWhatToDo() throws Exception {
        Session last = new Session("gpt2", List.of("gpt2"), null, 0, 4, null, "", "", "", false, REVIEW, "dark", false);
        app.open(SessionStore.inMemory(last), AppHarness.offlineHub(dir.resolve("empty-hub")), Optional.empty());
        app.waitFor(() -> app.vm().bannerProperty().get() != null
                && app.vm().bannerProperty().get().kind() == Banner.Kind.ERROR);
        Label text = app.lookup("#bannerText");
        assertThat(app.fx(text::getText)).contains("gpt2", "offline", "HF_HOME");
        assertThat(app.fx(() -> app.vm().themeProperty().get())).isEqualTo(Theme.DARK);
    }

    @Test
    void aCorruptModelFolderShowsAnErrorAndThePreviousModelKeepsWorking() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        app.fx(() -> app.vm().reviewProperty().set(REVIEW));
        AnalysisResult before = app.waitForResult(r -> true);
        var engine = app.fx(() -> app.vm().modelBar().engine());

        Path corrupt = Files.createDirectories(dir.resolve("corrupt"));
        Files.copy(tiny.configFile(), corrupt.resolve("config.json"));
        Files.copy(tiny.tokenizerFile(), corrupt.resolve("tokenizer.json"));
        Files.write(corrupt.resolve("model.safetensors"), new byte[] {(byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        app.fx(() -> {
            app.vm().modelBar().openFolder(corrupt);
            app.vm().modelBar().selectedProperty().set("gpt2"); // a pick while busy must not be blamed
        });
        app.waitFor(() -> !app.vm().modelBar().busyProperty().get() && app.vm().bannerProperty().get() != null);

        Banner banner = app.fx(() -> app.vm().bannerProperty().get());
        assertThat(banner.kind()).isEqualTo(Banner.Kind.ERROR);
        assertThat(banner.message()).startsWith("Could not load " + corrupt.toAbsolutePath().normalize() + ":")
                .contains("corrupt", "Still using");
        assertThat(app.fx(() -> app.vm().modelBar().selectedProperty().get())).isEqualTo(tiny.folder().toString());
        assertThat(app.fx(() -> app.vm().modelBar().engine())).isSameAs(engine);
        Label bannerText = app.lookup("#bannerText");
        assertThat(app.fx(bannerText::getText)).isEqualTo(banner.message());

        app.fx(() -> app.vm().reviewProperty().set(REVIEW + " Still good."));
        AnalysisResult after = app.waitForResult(r -> r.generation() > before.generation());
        assertThat(after.verdicts()).hasSize(tiny.nLayer() + 1);
    }

    @Test
    void loadingAModelShowsNoCancelledBanner() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        Path second = copyOfTiny();
        var before = app.fx(() -> app.vm().modelBar().engine());
        List<Banner> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        app.fx(() -> {
            app.vm().bannerProperty().addListener((obs, old, b) -> {
                if (b != null) {
                    shown.add(b);
                }
            });
            // The combo box fires on the value load() sets; that used to start (and cancel) a second load.
            app.vm().modelBar().load(second.toString());
        });
        app.waitFor(() -> app.vm().modelBar().engine() != before && !app.vm().modelBar().busyProperty().get());
        assertThat(shown).isEmpty();
        assertThat(app.fx(() -> app.vm().modelBar().loadedName())).isEqualTo(second.toString());
    }

    private Path copyOfTiny() throws Exception {
        Path second = Files.createDirectories(dir.resolve("second"));
        try (var files = Files.list(tiny.folder())) {
            for (Path f : files.toList()) {
                Files.copy(f, second.resolve(f.getFileName()));
            }
        }
        return second.toAbsolutePath().normalize();
    }

    @Test
    void aPickWhileLoadingNeitherRenamesTheLoadedModelNorGetsLost() throws Exception {
        openWithTiny(SessionStore.inMemory(Session.defaults()));
        Path second = copyOfTiny();
        var before = app.fx(() -> app.vm().modelBar().engine());
        javafx.scene.control.ComboBox<?> combo = app.lookup("#modelChoice");
        boolean disabledWhileBusy = app.fx(() -> {
            app.vm().modelBar().openFolder(second);
            app.vm().modelBar().selectedProperty().set("gpt2"); // what the two-way bound combo does on a pick
            return combo.isDisabled();
        });
        assertThat(disabledWhileBusy).isTrue();
        app.waitFor(() -> app.vm().modelBar().engine() != before && !app.vm().modelBar().busyProperty().get());

        String loaded = second.toAbsolutePath().normalize().toString();
        assertThat(app.fx(() -> app.vm().modelBar().loadedName())).isEqualTo(loaded);
        assertThat(app.fx(() -> app.vm().modelBar().selectedProperty().get())).isEqualTo(loaded);
        assertThat(app.fx(() -> app.vm().session().model())).isEqualTo(loaded);
        assertThat(app.fx(() -> app.vm().modelBar().recentProperty().get())).first().isEqualTo(loaded);
        assertThat(app.fx(() -> app.vm().evaluate().loadedModelProperty().get())).isEqualTo(loaded);
        assertThat(app.fx(() -> app.vm().bannerProperty().get())).isNull();
        assertThat(app.fx(combo::isDisabled)).isFalse();
    }

    @Test
    void theSessionSurvivesARestart() throws Exception {
        JsonSessionStore store = new JsonSessionStore(dir.resolve("config").resolve("session.json"));
        openWithTiny(store);
        app.fx(() -> {
            app.vm().reviewProperty().set(REVIEW);
            app.vm().prompt().shotModeProperty().set(ShotMode.FEW);
            app.vm().prompt().fewKProperty().set(3);
            app.vm().prompt().demoLabelsProperty().set(DemoLabels.FLIPPED);
            app.vm().prompt().calibrateProperty().set(true);
            app.vm().prompt().goldProperty().set("positive");
            app.vm().themeProperty().set(Theme.DARK);
        });
        app.waitForResult(r -> true);
        app.close();

        Session saved = store.load();
        assertThat(saved.model()).isEqualTo(tiny.folder().toString());
        assertThat(saved.recentModels()).containsExactly(tiny.folder().toString());
        assertThat(saved.shots()).as(saved.toString()).isEqualTo(3);

        app.open(store, AppHarness.offlineHub(dir.resolve("hub")), Optional.empty());
        app.waitForModel();
        AnalysisResult restored = app.waitForResult(r -> true);
        assertThat(restored.review()).isEqualTo(REVIEW);
        assertThat(restored.prompt().shots()).isEqualTo(3);
        assertThat(restored.prompt().demos()).allMatch(d -> d.flipped());
        assertThat(restored.finalVerdict().calibrated().normalizedPositive()).isBetween(0.0, 1.0);
        assertThat(restored.finalVerdict().correct()).isNotNull();
        assertThat(app.fx(() -> app.vm().themeProperty().get())).isEqualTo(Theme.DARK);
        assertThat(app.fx(() -> app.vm().modelBar().choices())).contains("distilgpt2", "gpt2-xl",
                tiny.folder().toString());
    }
}
