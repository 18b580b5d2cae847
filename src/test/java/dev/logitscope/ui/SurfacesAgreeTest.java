package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.analysis.GridPositions;
import dev.logitscope.cli.CliRunner;
import dev.logitscope.plot.TokenGridData;
import dev.logitscope.prompt.TemplateLibrary;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.plot.GridPlot;
import dev.logitscope.ui.prompt.ShotMode;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app and the command line compute the same thing: the same inputs give the same numbers on
 * both surfaces (the app through its real window and view model, the CLI through {@code inspect --json}).
 */
class SurfacesAgreeTest {
    static final String REVIEW = "A warm, funny and beautifully acted film.";
    static final long SEED = 3;

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

    private void openApp() throws Exception {
        app.open(SessionStore.inMemory(Session.defaults()), AppHarness.offlineHub(dir.resolve("hub")),
                Optional.of(tiny.folder().toString()));
        app.waitForModel();
    }

    private static JsonObject inspect(String... extra) {
        String[] base = {"inspect", "-m", tiny.folder().toString(), "--review", REVIEW, "--template",
                TemplateLibrary.DEFAULT_NAME, "--seed", Long.toString(SEED), "--json"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CliRunner result = CliRunner.run(args);
        assertThat(result.exitCode()).as(result.err()).isZero();
        return JsonParser.parseString(result.out()).getAsJsonObject();
    }

    private static double[] doubles(JsonArray array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsDouble();
        }
        return out;
    }

    @Test
    void theCompareOverlayIsInspectCompareDemos() throws Exception {
        openApp();
        app.fx(() -> {
            app.vm().prompt().templateProperty().set(TemplateLibrary.DEFAULT_NAME);
            app.vm().prompt().demoSeedProperty().set(SEED);
            app.vm().prompt().shotModeProperty().set(ShotMode.ONE); // k = 1: the comparison keeps it
            app.vm().prompt().calibrateProperty().set(true);
            app.vm().compareProperty().set(true);
            app.vm().reviewProperty().set(REVIEW);
        });
        AnalysisResult r = app.waitForResult(x -> x.trajectories().size() > 1);
        Map<String, double[]> appLines = new LinkedHashMap<>(r.trajectories());
        appLines.remove(dev.logitscope.ui.analysis.LensAnalyzer.THIS_PROMPT);

        JsonObject json = inspect("--shots", "1", "--calibrate", "--compare-demos");
        JsonObject comparison = json.getAsJsonObject("demo_comparison");
        assertThat(comparison.get("shots").getAsInt()).isEqualTo(1);
        Map<String, double[]> cliLines = new LinkedHashMap<>();
        for (JsonElement e : comparison.getAsJsonArray("runs")) {
            JsonObject run = e.getAsJsonObject();
            assertThat(run.get("calibrated").getAsBoolean()).isTrue();
            cliLines.put(run.get("name").getAsString(), doubles(run.getAsJsonArray("p_positive")));
        }
        assertThat(cliLines.keySet()).containsExactly("zero-shot", "one-shot correct", "one-shot flipped");
        assertThat(appLines.keySet()).containsExactlyElementsOf(cliLines.keySet());
        for (String name : cliLines.keySet()) {
            assertThat(appLines.get(name)).as(name).hasSize(tiny.nLayer() + 1);
            for (int i = 0; i < appLines.get(name).length; i++) {
                // the CLI's JSON prints doubles exactly (shortest round-trip form)
                assertThat(appLines.get(name)[i]).as(name + " layer " + i).isEqualTo(cliLines.get(name)[i]);
            }
        }
        // the one-shot correct run is the prompt as set up: the overlay's line and "this prompt" agree
        assertThat(r.trajectories().get(dev.logitscope.ui.analysis.LensAnalyzer.THIS_PROMPT))
                .containsExactly(appLines.get("one-shot correct"));

        // The app's export records what inspect records for the same inputs, but for the session (machine, time).
        Path exported = dir.resolve("analysis.json");
        app.fx(() -> app.vm().export().export(dev.logitscope.ui.export.ExportTarget.HEATMAP, exported))
                .get(AppHarness.TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        JsonObject appProvenance = JsonParser.parseString(java.nio.file.Files.readString(exported)).getAsJsonObject()
                .getAsJsonObject("provenance");
        JsonObject cliProvenance = json.getAsJsonObject("provenance");
        assertThat(appProvenance.remove("run").getAsJsonObject().get("machine"))
                .isEqualTo(cliProvenance.remove("run").getAsJsonObject().get("machine"));
        assertThat(appProvenance).isEqualTo(cliProvenance);
        JsonObject prompt = cliProvenance.getAsJsonObject("prompt");
        assertThat(prompt.get("seed").getAsLong()).isEqualTo(SEED);
        assertThat(prompt.getAsJsonArray("demonstrations")).hasSize(1);
        assertThat(prompt.getAsJsonObject("template").getAsJsonArray("label_words").get(0).getAsString())
                .isEqualTo(" positive");
        assertThat(cliProvenance.getAsJsonObject("model").getAsJsonObject("sha256").has("tokenizer.json")).isTrue();
    }

    @Test
    void theGridReadsTheSamePositionsAndNumbersAsInspectPlotGrid() throws Exception {
        openApp();
        javafx.scene.control.TabPane views = app.lookup("#views");
        app.fx(() -> {
            app.vm().prompt().templateProperty().set(TemplateLibrary.DEFAULT_NAME);
            app.vm().prompt().demoSeedProperty().set(SEED);
            app.vm().prompt().fewKProperty().set(2);
            app.vm().prompt().shotModeProperty().set(ShotMode.FEW); // demonstrations: query ≠ all
            views.getSelectionModel().select(1); // the grid tab: the grid is wanted
            app.vm().reviewProperty().set(REVIEW);
        });
        for (GridPositions positions : GridPositions.values()) {
            for (TokenGridData.Mode mode : new TokenGridData.Mode[] {TokenGridData.Mode.PROBABILITY,
                    TokenGridData.Mode.KL}) {
                app.fx(() -> {
                    app.vm().gridPositionsProperty().set(positions);
                    app.vm().gridModeProperty().set(mode);
                });
                // the result of these positions: all starts at 0, query after the demonstrations
                AnalysisResult r = app.waitForResult(x -> x.grid()
                        && (x.gridReport().layers().get(0).positions().get(0).position() == 0) == (positions == GridPositions.ALL));
                TokenGridData appGrid = app.fx(() -> ((GridPlot) app.vm().gridProperty().get()).data());
                assertThat(appGrid.mode()).isEqualTo(mode);

                JsonObject grid = inspect("--shots", "2", "--plot", "grid", "--grid-mode",
                        mode.name().toLowerCase(java.util.Locale.ROOT), "--grid-positions", positions.key())
                        .getAsJsonObject("token_grid");
                assertThat(grid.get("positions").getAsString()).isEqualTo(positions.key());
                JsonArray columns = grid.getAsJsonArray("columns");
                int tokens = r.prompt().text().isEmpty() ? 0 : r.analysis().lens().tokens().size();
                // all = every position; query = fewer, ending at the last token
                if (positions == GridPositions.ALL) {
                    assertThat(columns).hasSize(tokens);
                } else {
                    assertThat(columns.size()).isBetween(1, tokens - 1);
                }
                assertThat(appGrid.columns()).hasSize(columns.size());
                assertThat(grid.getAsJsonArray("rows")).hasSize(appGrid.rows());
                for (int c = 0; c < columns.size(); c++) {
                    assertThat(appGrid.columns().get(c).position())
                            .isEqualTo(columns.get(c).getAsJsonObject().get("position").getAsInt());
                }
                assertThat(appGrid.columns().get(appGrid.columns().size() - 1).position()).isEqualTo(tokens - 1);
                JsonArray values = grid.getAsJsonArray("values");
                for (int row = 0; row < appGrid.rows(); row++) {
                    for (int c = 0; c < columns.size(); c++) {
                        assertThat(appGrid.value(row, c)).as(positions + " " + mode + " row " + row + " column " + c)
                                .isEqualTo(values.get(row).getAsJsonArray().get(c).getAsDouble());
                    }
                }
            }
        }
    }

    /**
     * Several lenses side by side in the app are inspect --lens, lens by lens: each lens's
     * per-layer numbers (renormalised and calibrated) equal the command line's for the same inputs.
     */
    @Test
    void eachChosenLensGivesInspectLensNumbers() throws Exception {
        dev.logitscope.testing.TunedLensFixture lens = dev.logitscope.testing.TunedLensFixture.write(dir.resolve("tuned"),
                16, 2, tiny.vocabSize(), dev.logitscope.testing.TunedLensFixture.Layout.MODULE_LIST,
                dev.logitscope.tensors.DType.F32, 8, 0.5, true);
        dev.logitscope.lens.LensChoice tuned = dev.logitscope.lens.LensChoice.folder(lens.folder());
        openApp();
        app.fx(() -> {
            app.vm().prompt().templateProperty().set(TemplateLibrary.DEFAULT_NAME);
            app.vm().prompt().demoSeedProperty().set(SEED);
            app.vm().prompt().shotModeProperty().set(ShotMode.ONE);
            app.vm().prompt().calibrateProperty().set(true);
            app.vm().reviewProperty().set(REVIEW);
            app.vm().lenses().addLensFolder(lens.folder());
        });
        AnalysisResult r = app.waitForResult(x -> x.lensChoice().equals(
                java.util.List.of(dev.logitscope.lens.LensChoice.LOGIT, tuned)));
        Map<String, JsonObject> cli = new LinkedHashMap<>();
        cli.put("logit", inspect("--shots", "1", "--calibrate"));
        cli.put(lens.folder().toString(), inspect("--shots", "1", "--calibrate", "--lens", lens.folder().toString()));
        int i = 0;
        for (var run : r.lenses().comparison().runs().entrySet()) {
            JsonObject json = cli.get(run.getKey().toString());
            assertThat(json.get("lens").getAsString()).isEqualTo(r.lenses().sources().get(i++).lens());
            JsonArray layers = json.getAsJsonArray("layers");
            var t = run.getValue().trajectory();
            assertThat(layers).hasSize(t.taps());
            for (int tap = 0; tap < t.taps(); tap++) {
                JsonObject layer = layers.get(tap).getAsJsonObject();
                assertThat(t.normalized()[tap]).as("%s layer %d", run.getKey(), tap)
                        .containsExactly(doubles(layer.getAsJsonArray("normalized")));
                assertThat(t.calibrated()[tap]).as("%s calibrated layer %d", run.getKey(), tap)
                        .containsExactly(doubles(layer.getAsJsonObject("calibrated").getAsJsonArray("normalized")));
            }
        }
    }
}
