package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.hub.HubClient;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.LocalHub;
import dev.logitscope.hub.ModelLocator;
import dev.logitscope.prompt.SampleReview;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.model.Banner;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A first start: no model yet. With a network one click gets to an analysed review; offline it says how to go on. */
class FirstStartTest {
    static final String DISTILGPT2 = "distilbert/distilgpt2";

    @TempDir
    static Path shared;
    static TinyCheckpoint tiny;

    @TempDir
    Path dir;
    final AppHarness app = new AppHarness();
    LocalHub hub;

    @BeforeAll
    static void checkpoint() throws Exception {
        tiny = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(5).write(shared.resolve("tiny"));
    }

    @BeforeEach
    void startHub() throws Exception {
        hub = new LocalHub().model(DISTILGPT2, tiny.folder());
    }

    @AfterEach
    void close() throws Exception {
        app.closeIfOpen();
        hub.close();
    }

    private HubSettings online() {
        return new HubSettings(hub.endpoint(), dir.resolve("cache"), Optional.empty(), false);
    }

    private List<String> bannerButtons() throws Exception {
        HBox actions = app.lookup("#bannerActions");
        return app.fx(() -> actions.getChildren().stream().filter(n -> n.isVisible())
                .map(n -> ((Button) n).getText()).toList());
    }

    private void clickBanner(String text) throws Exception {
        HBox actions = app.lookup("#bannerActions");
        Button button = app.fx(() -> actions.getChildren().stream().map(n -> (Button) n)
                .filter(b -> b.getText().equals(text)).findFirst().orElseThrow());
        app.robot.clickOn(button);
    }

    private String bannerText() throws Exception {
        Label text = app.lookup("#bannerText");
        return app.fx(text::getText);
    }

    private Banner.Kind bannerKind() throws Exception {
        return app.fx(() -> app.vm().bannerProperty().get().kind());
    }

    @Test
    void oneClickDownloadsTheSmallestModelWithProgressThenAnalysesASample() throws Exception {
        hub.slowly(4096, 15);
        app.open(SessionStore.inMemory(Session.defaults()), online(), Optional.empty());
        HBox banner = app.lookup("#banner");
        assertThat(app.fx(banner::isVisible)).isTrue();
        assertThat(bannerKind()).isEqualTo(Banner.Kind.INFO);
        assertThat(bannerText()).contains("distilgpt2", "353 MB", "open a model folder");
        assertThat(bannerButtons()).containsExactly("Download distilgpt2 (353 MB)", "Open folder…");

        List<String> progress = new CopyOnWriteArrayList<>();
        ProgressBar bar = app.lookup("#progress");
        Label progressText = app.lookup("#progressText");
        app.fx(() -> progressText.textProperty().addListener((obs, old, t) -> {
            if (bar.isVisible()) {
                progress.add(t);
            }
        }));
        clickBanner("Download distilgpt2 (353 MB)");
        app.waitForModel();
        assertThat(progress).anyMatch(t -> t.startsWith("Downloading"));
        assertThat(hub.weightDownloads()).isEqualTo(1);

        SampleReview sample = app.vm().samples().stream().filter(s -> s.expected().isPresent()).findFirst().orElseThrow();
        AnalysisResult r = app.waitForResult(x -> true);
        assertThat(r.review()).isEqualTo(sample.review());
        assertThat(r.finalVerdict().correct()).isNotNull();
        assertThat(app.fx(() -> app.vm().modelBar().loadedName())).isEqualTo("distilgpt2");
        assertThat(app.fx(() -> app.vm().bannerProperty().get())).isNull();
        assertThat(app.fx(() -> app.vm().session().model())).isEqualTo("distilgpt2");
    }

    @Test
    void offlineWithNothingCachedSaysSoAndHowToGoOnWithoutAnErrorTone() throws Exception {
        app.open(SessionStore.inMemory(Session.defaults()), AppHarness.offlineHub(dir.resolve("empty")), Optional.empty());
        assertThat(bannerKind()).isEqualTo(Banner.Kind.INFO);
        assertThat(bannerText()).contains("offline", "HF_HUB_OFFLINE", "distilgpt2", "353 MB", "open its folder",
                dir.resolve("empty").toString());
        assertThat(bannerText().toLowerCase()).doesNotContain("could not", "error", "failed");
        assertThat(bannerButtons()).containsExactly("Open folder…");
    }

    @Test
    void aHubThatCannotBeReachedOnAFirstStartIsBeingOfflineSaidBeforeAnyClick() throws Exception {
        HubSettings unreachable = new HubSettings(java.net.URI.create("http://127.0.0.1:9"), dir.resolve("cache"),
                Optional.empty(), false);
        app.open(SessionStore.inMemory(Session.defaults()), unreachable, Optional.empty());
        app.waitFor(() -> app.vm().bannerProperty().get() != null
                && app.vm().bannerProperty().get().message().startsWith("You are offline"));
        assertOfflineBanner();

        // Try again while still offline: the same calm message, not an error.
        List<Banner> shown = new CopyOnWriteArrayList<>();
        app.fx(() -> app.vm().bannerProperty().addListener((obs, old, x) -> {
            if (x != null) {
                shown.add(x);
            }
        }));
        clickBanner("Try again");
        app.waitFor(() -> !shown.isEmpty() && !app.vm().modelBar().busyProperty().get());
        assertOfflineBanner();
        assertThat(app.fx(() -> app.vm().modelBar().engine())).isNull();
    }

    private void assertOfflineBanner() throws Exception {
        assertThat(bannerKind()).isEqualTo(Banner.Kind.INFO);
        assertThat(bannerText()).contains("You are offline", "127.0.0.1", "distilgpt2", "Try again", "open its folder",
                dir.resolve("cache").toString());
        assertThat(bannerText()).doesNotContain("Could not load", "`");
        assertThat(bannerButtons()).containsExactly("Try again", "Open folder…");
    }

    @Test
    void aModelAlreadyInTheCacheIsOfferedWithoutADownload() throws Exception {
        new ModelLocator(new HubClient(online())).locate("distilgpt2", null, null);
        hub.close();
        app.open(SessionStore.inMemory(Session.defaults()), online().withOffline(true), Optional.empty());
        assertThat(bannerKind()).isEqualTo(Banner.Kind.INFO);
        assertThat(bannerText()).contains("distilgpt2", "already in your Hugging Face cache");
        assertThat(bannerButtons()).containsExactly("Load distilgpt2", "Open folder…");
        clickBanner("Load distilgpt2");
        app.waitForModel();
        AnalysisResult r = app.waitForResult(x -> true);
        assertThat(r.finalVerdict().correct()).isNotNull();
    }
}
