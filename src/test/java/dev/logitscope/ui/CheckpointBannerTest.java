package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.ui.model.Banner;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training run saves the loaded checkpoint again: the app says so once and keeps the loaded weights. */
class CheckpointBannerTest {
    @TempDir
    Path dir;
    final AppHarness app = new AppHarness();

    @AfterEach
    void close() throws Exception {
        app.closeIfOpen();
    }

    @Test
    void aRewrittenCheckpointShowsOneWarningBanner() throws Exception {
        TinyCheckpoint tiny = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(256).seed(3)
                .write(dir.resolve("run"));
        TinyCheckpoint saved = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(256).seed(4)
                .write(dir.resolve("saved"));
        app.open(SessionStore.inMemory(Session.defaults()), AppHarness.offlineHub(dir.resolve("hub")),
                Optional.of(tiny.folder().toString()));
        app.waitForModel();
        app.fx(() -> app.vm().modelBar().checkCheckpoint());
        assertThat(app.fx(() -> app.vm().bannerProperty().get())).as("nothing changed yet").isNull();

        Files.write(tiny.modelFile(), Files.readAllBytes(saved.modelFile())); // in place, as save_file does
        Files.setLastModifiedTime(tiny.modelFile(), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        app.fx(() -> app.vm().modelBar().checkCheckpoint()); // what the poll does every few seconds

        Banner banner = app.fx(() -> app.vm().bannerProperty().get());
        assertThat(banner.kind()).isEqualTo(Banner.Kind.WARNING);
        assertThat(banner.message()).startsWith("model.safetensors changed on disk while loaded; results used the version"
                + " loaded at ").endsWith("Choose " + tiny.folder() + " in the model bar again to load the new one.");
        Label text = app.lookup("#bannerText");
        assertThat(app.fx(text::getText)).isEqualTo(banner.message());

        app.fx(() -> {
            app.vm().modelBar().dismissBanner();
            app.vm().modelBar().checkCheckpoint();
        });
        assertThat(app.fx(() -> app.vm().modelBar().bannerProperty().get())).as("said once per loaded model").isNull();
    }
}
