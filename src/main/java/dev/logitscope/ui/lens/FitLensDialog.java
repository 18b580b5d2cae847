package dev.logitscope.ui.lens;

import java.io.IOException;
import java.net.URL;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The "Fit a lens…" window: modal over the main window (the fit has the loaded engine's model
 * thread for its length), in the main window's theme. Closing it while a fit runs stops the fit
 * first; the window closes once nothing is left on disk.
 */
public final class FitLensDialog {
    private final Stage stage;
    private final FitLensViewModel vm;

    private FitLensDialog(Stage stage, FitLensViewModel vm) {
        this.stage = stage;
        this.vm = vm;
    }

    public static FitLensDialog open(Window owner, FitLensViewModel vm) throws IOException {
        URL fxml = FitLensDialog.class.getResource("/fxml/fit-lens.fxml");
        if (fxml == null) {
            throw new IllegalStateException("/fxml/fit-lens.fxml is missing from the classpath; the build is incomplete");
        }
        FitLensController controller = new FitLensController(vm);
        FXMLLoader loader = new FXMLLoader(fxml);
        loader.setControllerFactory(type -> controller);
        Parent root = loader.load();
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("Fit a lens");
        Scene scene = new Scene(root, 640, -1);
        if (owner != null && owner.getScene() != null) {
            Bindings.bindContent(scene.getStylesheets(), owner.getScene().getStylesheets()); // the theme follows the window's
            root.setStyle(owner.getScene().getRoot().getStyle()); // and its font size
        }
        stage.setScene(scene);
        stage.getProperties().put(FitLensViewModel.class, vm); // for tests and tools that find the window
        stage.setMinWidth(520);
        controller.onClose(stage::close);
        // A message or a second line of progress makes the content taller: the window grows with it.
        vm.messageProperty().addListener((obs, old, now) -> Platform.runLater(() -> fit(stage)));
        vm.progressTextProperty().addListener((obs, old, now) -> Platform.runLater(() -> fit(stage)));
        stage.setOnCloseRequest(e -> {
            if (vm.runningProperty().get()) {
                e.consume();
                vm.cancel();
                vm.runningProperty().addListener((obs, was, now) -> {
                    if (!now) {
                        stage.close();
                    }
                });
            }
        });
        stage.show();
        return new FitLensDialog(stage, vm);
    }

    /** Grows the window to its content's height (never shrinks it: the buttons stay where they were). */
    private static void fit(Stage stage) {
        Parent root = stage.getScene().getRoot();
        root.applyCss(); // the new texts' skins and styles, before measuring them
        root.layout();
        double wanted = root.prefHeight(stage.getScene().getWidth());
        double have = stage.getScene().getHeight();
        if (wanted > have + 0.5) {
            // both sides: GTK refuses a resize whose width it was not given (seen under Xvfb without a window manager)
            double chromeWidth = Math.max(0, stage.getWidth() - stage.getScene().getWidth());
            double chromeHeight = Math.max(0, stage.getHeight() - have);
            stage.setWidth(stage.getScene().getWidth() + chromeWidth);
            stage.setHeight(wanted + chromeHeight);
        }
    }

    public Stage stage() {
        return stage;
    }

    public FitLensViewModel viewModel() {
        return vm;
    }
}
