package dev.logitscope.ui;

import java.io.IOException;
import java.net.URL;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * Builds the main window from {@code fxml/main.fxml} with controllers that get the view model,
 * sized for the screen it opens on. Used by the app, the tests and the screenshot tool alike.
 */
public final class MainWindow {
    private final MainViewModel viewModel;
    private final Scene scene;
    private final MainController controller;

    private MainWindow(MainViewModel viewModel, Scene scene, MainController controller) {
        this.viewModel = viewModel;
        this.scene = scene;
        this.controller = controller;
    }

    /** Builds the window into {@code stage} and starts the session (loads the model). */
    public static MainWindow open(Stage stage, AppContext context) throws IOException {
        MainViewModel vm = new MainViewModel(context);
        FXMLLoader loader = new FXMLLoader(resource("/fxml/main.fxml"));
        loader.setControllerFactory(type -> {
            try {
                return type.getConstructor(MainViewModel.class).newInstance(vm);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("controller " + type.getName() + " needs a (MainViewModel) constructor", e);
            }
        });
        Parent root = loader.load();
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        root.setStyle("-fx-font-size: " + fontSize(screen) + "px;");
        Scene scene = new Scene(root, Math.min(1480, screen.getWidth() * 0.94), Math.min(940, screen.getHeight() * 0.92));
        applyTheme(scene, vm.themeProperty().get());
        vm.themeProperty().addListener((obs, old, theme) -> applyTheme(scene, theme));

        stage.setTitle("Logitscope");
        stage.setScene(scene);
        stage.setMinWidth(Math.min(980, screen.getWidth()));
        stage.setMinHeight(Math.min(620, screen.getHeight()));
        WindowPlace.restore(stage, vm.viewSettings());
        WindowPlace.follow(stage, vm::rememberWindow);
        stage.setOnCloseRequest(e -> {
            if (vm.deferClose(stage::hide)) {
                e.consume(); // an evaluation is stopping; the stage closes once its files are written
            }
        });
        stage.setOnHidden(e -> vm.shutdown());
        MainWindow window = new MainWindow(vm, scene, loader.getController());
        vm.start(context.initialModel());
        return window;
    }

    /**
     * The base font size: JavaFX scales by the screen's output scale on its own, but a 4K screen
     * run at scale 1 would otherwise get 13 px text on a 3840 px wide window.
     */
    static double fontSize(Rectangle2D visualBounds) {
        double width = visualBounds.getWidth();
        return width >= 3400 ? 20 : width >= 2400 ? 16 : 13;
    }

    private static void applyTheme(Scene scene, Theme theme) {
        scene.getStylesheets().setAll(theme.stylesheetUrls());
    }

    private static URL resource(String path) {
        URL url = MainWindow.class.getResource(path);
        if (url == null) {
            throw new IllegalStateException(path + " is missing from the classpath; the build is incomplete");
        }
        return url;
    }

    public MainViewModel viewModel() {
        return viewModel;
    }

    public Scene scene() {
        return scene;
    }

    public void focusReview() {
        controller.focusReview();
    }
}
