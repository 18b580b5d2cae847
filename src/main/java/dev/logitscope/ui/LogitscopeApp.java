package dev.logitscope.ui;

import javafx.application.Application;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The desktop app: loads the main window's FXML view and its stylesheet. */
public final class LogitscopeApp extends Application {

    @Override
    public void start(Stage stage) throws Exception {
        Parent root = FXMLLoader.load(LogitscopeApp.class.getResource("/fxml/main.fxml"));
        Scene scene = new Scene(root, 1100, 720);
        scene.getStylesheets().add(LogitscopeApp.class.getResource("/styles/logitscope.css").toExternalForm());
        stage.setTitle("Logitscope");
        stage.setScene(scene);
        stage.show();
    }
}
