package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.hub.HubSettings;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.session.SessionStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javafx.scene.Node;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** Opens the real main window on the TestFX stage with injected, sandboxed dependencies. */
final class AppHarness {
    static final int TIMEOUT_SECONDS = 60;

    final FxRobot robot = new FxRobot();
    MainWindow window;

    /** Offline settings with an empty cache folder and an endpoint nothing listens on. */
    static HubSettings offlineHub(Path cacheDir) {
        return new HubSettings(URI.create("http://127.0.0.1:9"), cacheDir, Optional.empty(), true);
    }

    MainWindow open(SessionStore store, HubSettings hub, Optional<String> model) throws Exception {
        return open(new AppContext(store, hub, model));
    }

    MainWindow open(AppContext context) throws Exception {
        Stage stage = FxToolkit.registerPrimaryStage();
        FxToolkit.setupFixture(() -> {
            try {
                window = MainWindow.open(stage, context);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            stage.show();
        });
        return window;
    }

    /** Opens the window offline (an empty cache in {@code hubCache}) with {@code model} loaded, and waits for it. */
    MainWindow openWithModel(SessionStore store, Path hubCache, Path model) throws Exception {
        MainWindow w = open(store, offlineHub(hubCache), Optional.of(model.toString()));
        waitForModel();
        return w;
    }

    void close() throws Exception {
        FxToolkit.setupFixture(() -> FxToolkit.toolkitContext().getRegisteredStage().hide());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** For {@code @AfterEach}: closes the window if a test opened one. */
    void closeIfOpen() throws Exception {
        if (window != null) {
            close();
        }
    }

    MainViewModel vm() {
        return window.viewModel();
    }

    <T extends Node> T lookup(String id) {
        return robot.lookup(id).query();
    }

    void fx(Runnable action) {
        robot.interact(action);
    }

    <T> T fx(Callable<T> action) throws Exception {
        return WaitForAsyncUtils.asyncFx(action).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    void waitFor(Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS, () -> fx(condition));
        WaitForAsyncUtils.waitForFxEvents();
    }

    void waitForModel() throws TimeoutException {
        waitFor(() -> vm().modelBar().engine() != null && !vm().modelBar().busyProperty().get());
    }

    /** Waits for an analysis of the current review that satisfies {@code test}, and returns it. */
    AnalysisResult waitForResult(Predicate<AnalysisResult> test) throws Exception {
        waitFor(() -> {
            AnalysisResult r = vm().result();
            return r != null && !vm().analysingProperty().get() && r.review().equals(vm().reviewProperty().get())
                    && test.test(r);
        });
        AnalysisResult r = fx(() -> vm().result());
        assertThat(r).isNotNull();
        return r;
    }
}
