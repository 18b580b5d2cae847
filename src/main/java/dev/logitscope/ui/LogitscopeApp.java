package dev.logitscope.ui;

import dev.logitscope.ui.eval.FolderOpener;
import java.util.Optional;
import javafx.application.Application;
import javafx.stage.Stage;

/**
 * The desktop app. An optional first argument names a model to load instead of the last
 * session's (a folder, a catalog name such as gpt2, or a Hugging Face repo id).
 */
public final class LogitscopeApp extends Application {

    @Override
    public void start(Stage stage) throws Exception {
        Optional<String> model = getParameters().getUnnamed().stream().findFirst();
        MainWindow window = MainWindow.open(stage,
                AppContext.fromSystem(model).withFolders(FolderOpener.hostServices(getHostServices())));
        stage.show();
        window.focusReview();
    }
}
