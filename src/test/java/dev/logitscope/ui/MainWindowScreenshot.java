package dev.logitscope.ui;

import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.ui.prompt.ShotMode;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

/**
 * Takes a screenshot of the real main window, headless, into {@code target/screenshot.png}. Not
 * part of the test suite (no "Test" suffix); run it on purpose:
 *
 * <pre>mvn -q test -Dtest=MainWindowScreenshot -Dsurefire.failIfNoSpecifiedTests=false
 *     [-Dlogitscope.screenshot.model=/path/to/gpt2-folder] [-Dlogitscope.screenshot.theme=dark]</pre>
 *
 * Without a model folder it uses a random 12-layer GPT-2 with the real tokenizer (from the shared
 * folder when present), so the layout and the token texts are real even though the numbers are not.
 */
class MainWindowScreenshot {
    static final int WIDTH = 1366;
    static final int HEIGHT = 768;

    @TempDir
    Path dir;

    @Test
    void screenshot() throws Exception {
        String model = System.getProperty("logitscope.screenshot.model", "");
        if (model.isBlank()) {
            TinyCheckpoint.Builder builder = TinyCheckpoint.builder().nLayer(12).nEmbd(64).nHead(4).nPositions(1024).seed(3);
            SharedFiles.root().map(r -> r.resolve("gpt2-tokenizer")).filter(Files::isDirectory)
                    .ifPresent(builder::realTokenizer);
            model = builder.write(dir.resolve("gpt2-random")).folder().toString();
        }
        Session session = new Session("", java.util.List.of("distilgpt2", "gpt2"), "seed-notebook", 4, 4, "correct", "",
                "", "", false, "", System.getProperty("logitscope.screenshot.theme", "light"), false);
        AppHarness app = new AppHarness();
        app.open(SessionStore.inMemory(session), AppHarness.offlineHub(dir.resolve("hub")), Optional.of(model));
        Stage stage = FxToolkit.toolkitContext().getRegisteredStage();
        app.fx(() -> {
            stage.setWidth(WIDTH);
            stage.setHeight(HEIGHT);
        });
        app.waitForModel();
        app.fx(() -> {
            app.vm().prompt().shotModeProperty().set(ShotMode.FEW);
            app.vm().compareProperty().set(true);
            app.vm().useSample(app.vm().samples().get(0));
        });
        app.waitForResult(r -> r.trajectories().size() > 1);
        Thread.sleep(300); // let the canvases paint the last layout pass
        WritableImage image = app.fx(() -> stage.getScene().snapshot(null));
        Path out = Path.of("target", "screenshot.png");
        Files.createDirectories(out.getParent());
        ImageIO.write(toBufferedImage(image), "png", out.toFile());
        System.out.println("screenshot: " + out.toAbsolutePath());
        app.close();
    }

    /** javafx-swing is not on the classpath; copying the pixels is all SwingFXUtils would do. */
    private static BufferedImage toBufferedImage(WritableImage image) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader reader = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, reader.getArgb(x, y));
            }
        }
        return out;
    }
}
